/// Why the bus service could not start or had to stop: one sentence for an operator.
public struct BusServiceError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong, as a set that can grow without breaking callers.
    public struct Code: Hashable, Sendable {
        private enum Base: Hashable, Sendable {
            case cannotBind
            case stateUnavailable
            case socketFailed
            case curveUnusable
            case insecureBind
        }

        private let base: Base

        private init(_ base: Base) { self.base = base }

        /// An endpoint could not be bound (in use, malformed, not a local address).
        public static let cannotBind = Code(.cannotBind)
        /// The state file could not be opened, read or written.
        public static let stateUnavailable = Code(.stateUnavailable)
        /// A socket failed while running.
        public static let socketFailed = Code(.socketFailed)
        /// A CURVE key file or the clients folder cannot be used.
        public static let curveUnusable = Code(.curveUnusable)
        /// An endpoint beyond loopback was to be bound without CURVE and without `--insecure`.
        public static let insecureBind = Code(.insecureBind)
    }

    /// The category of the failure.
    public var code: Code
    /// The sentence for the operator.
    public var message: String
    /// The error behind it.
    public var underlying: (any Error)?

    /// Creates an error.
    public init(code: Code, message: String, underlying: (any Error)? = nil) {
        self.code = code
        self.message = message
        self.underlying = underlying
    }

    public var description: String {
        guard let underlying else { return message }
        return "\(message): \(underlying)"
    }

    public static func == (lhs: BusServiceError, rhs: BusServiceError) -> Bool { lhs.code == rhs.code }
}
