internal import CZMQ

#if canImport(Glibc)
    import Glibc
#endif

/// A failed libzmq call: the errno, the C function that failed and libzmq's own text.
///
/// Equality compares only ``code``, so callers match on what went wrong, not on wording.
public struct ZMQError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong, as a small set that can grow without breaking callers.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: Hashable, Sendable {
            case terminated
            case wouldBlock
            case interrupted
            case addressInUse
            case addressNotAvailable
            case protocolNotSupported
            case invalidArgument
            case notSupported
            case hostUnreachable
            case socketClosed
            case invalidState
            case other
        }

        private let base: Base

        private init(_ base: Base) { self.base = base }

        /// The context was shut down or terminated (`ETERM`): the socket's loop should end.
        public static let terminated = Code(.terminated)
        /// Nothing could be sent or received now, or a timeout expired (`EAGAIN`).
        public static let wouldBlock = Code(.wouldBlock)
        /// A signal interrupted the call (`EINTR`); the layer retries these itself.
        public static let interrupted = Code(.interrupted)
        /// The endpoint is already bound by someone (`EADDRINUSE`).
        public static let addressInUse = Code(.addressInUse)
        /// The address is not local or does not exist (`EADDRNOTAVAIL`, `ENODEV`, `ENOENT`).
        public static let addressNotAvailable = Code(.addressNotAvailable)
        /// The endpoint's transport is unknown or not compiled in (`EPROTONOSUPPORT`).
        public static let protocolNotSupported = Code(.protocolNotSupported)
        /// An argument, option value or endpoint is malformed (`EINVAL`).
        public static let invalidArgument = Code(.invalidArgument)
        /// The operation is not supported by this socket type (`ENOTSUP`).
        public static let notSupported = Code(.notSupported)
        /// A ROUTER with router-mandatory on could not route to the peer (`EHOSTUNREACH`).
        public static let hostUnreachable = Code(.hostUnreachable)
        /// The socket was already closed (`ENOTSOCK`).
        public static let socketClosed = Code(.socketClosed)
        /// The socket is in the wrong state for this call, e.g. REQ sending twice (`EFSM`).
        public static let invalidState = Code(.invalidState)
        /// Any other errno.
        public static let other = Code(.other)

        init(errno value: Int32) {
            switch value {
            case ETERM: self = .terminated
            case EAGAIN: self = .wouldBlock
            case EINTR: self = .interrupted
            case EADDRINUSE: self = .addressInUse
            case EADDRNOTAVAIL, ENODEV, ENOENT: self = .addressNotAvailable
            case EPROTONOSUPPORT: self = .protocolNotSupported
            case EINVAL: self = .invalidArgument
            case ENOTSUP: self = .notSupported
            case EHOSTUNREACH: self = .hostUnreachable
            case ENOTSOCK: self = .socketClosed
            case EFSM: self = .invalidState
            default: self = .other
            }
        }

        public var description: String { "\(base)" }
    }

    /// The category of the failure.
    public let code: Code
    /// The `errno` value libzmq reported.
    public let errno: Int32
    /// The C function that failed, e.g. `"zmq_bind"`.
    public let call: String
    /// libzmq's `zmq_strerror` text for ``errno``.
    public let message: String

    /// Creates an error for `call` from an errno value, reading libzmq's text for it.
    /// - Parameters:
    ///   - errno: the errno the call left behind.
    ///   - call: the name of the failed C function.
    public init(errno: Int32, call: String) {
        self.code = Code(errno: errno)
        self.errno = errno
        self.call = call
        self.message = String(cString: zmq_strerror(errno))
    }

    /// Captures the current thread's libzmq errno for `call`.
    static func last(_ call: String) -> ZMQError {
        ZMQError(errno: zmq_errno(), call: call)
    }

    /// `true` when the context was shut down: a loop should return instead of reporting it.
    public var isTerminated: Bool { code == .terminated }

    public var description: String { "\(call) failed: \(message) (errno \(errno))" }

    public static func == (lhs: ZMQError, rhs: ZMQError) -> Bool { lhs.code == rhs.code }
}
