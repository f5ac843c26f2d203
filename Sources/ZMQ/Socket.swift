internal import CZMQ

/// A ZeroMQ socket, owned by exactly one thread: create it, use it and let it go on that thread.
///
/// Not `Sendable`, deliberately: libzmq sockets are not thread-safe. The linger period is set
/// explicitly at creation (default zero, so a closing socket never blocks the context), and
/// `deinit` closes the socket. Every call retries by itself when a signal interrupts it.
public final class Socket {
    let handle: UnsafeMutableRawPointer
    /// The context the socket belongs to; kept alive as long as the socket.
    public let context: Context
    /// The socket's pattern.
    public let type: SocketType
    private var isClosed = false

    /// Creates a socket of `type` in `context`.
    /// - Parameters:
    ///   - type: the pattern (REQ, ROUTER, PUB…).
    ///   - context: the context it lives in.
    ///   - linger: how long unsent messages may delay ``close()``; zero drops them at once.
    /// - Throws: ``ZMQError`` when the context is shut down or out of sockets.
    public init(_ type: SocketType, context: Context, linger: Duration = .zero) throws(ZMQError) {
        guard let handle = zmq_socket(context.handle, type.rawValue) else {
            throw ZMQError.last("zmq_socket")
        }
        self.handle = handle
        self.context = context
        self.type = type
        try set(.linger, linger)
    }

    deinit { close() }

    /// Closes the socket now; unsent messages wait at most the linger period. Idempotent.
    public func close() {
        guard !isClosed else { return }
        isClosed = true
        zmq_close(handle)
    }

    /// Binds to `endpoint` and returns the endpoint actually bound.
    ///
    /// `tcp://127.0.0.1:*` (or `:0`) binds an ephemeral port, and the result names it:
    /// `tcp://127.0.0.1:49152`.
    /// - Throws: ``ZMQError`` from `zmq_bind`: address in use, bad endpoint, unknown transport.
    @discardableResult
    public func bind(_ endpoint: String) throws(ZMQError) -> String {
        let wildcard = endpoint.hasPrefix("tcp://") && endpoint.hasSuffix(":0")
        let request = wildcard ? String(endpoint.dropLast()) + "*" : endpoint
        try check("zmq_bind") { zmq_bind(handle, request) }
        return try get(.lastEndpoint)
    }

    /// Connects to `endpoint`; the connection itself is made, and remade, in the background.
    /// - Throws: ``ZMQError`` from `zmq_connect` for a malformed endpoint or unknown transport.
    public func connect(_ endpoint: String) throws(ZMQError) {
        try check("zmq_connect") { zmq_connect(handle, endpoint) }
    }

    /// Stops connecting to `endpoint`, a string given to ``connect(_:)`` before.
    public func disconnect(_ endpoint: String) throws(ZMQError) {
        try check("zmq_disconnect") { zmq_disconnect(handle, endpoint) }
    }

    /// Stops listening on `endpoint`, as returned by ``bind(_:)``.
    public func unbind(_ endpoint: String) throws(ZMQError) {
        try check("zmq_unbind") { zmq_unbind(handle, endpoint) }
    }

    /// Runs a libzmq call that returns -1 on failure, retrying on EINTR.
    @discardableResult
    func check(_ call: String, _ body: () -> Int32) throws(ZMQError) -> Int32 {
        while true {
            let result = body()
            if result >= 0 { return result }
            let error = ZMQError.last(call)
            if error.code != .interrupted { throw error }
        }
    }
}

@available(*, unavailable, message: "a ZeroMQ socket belongs to one thread")
extension Socket: Sendable {}
