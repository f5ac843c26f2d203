internal import CZMQ

/// libzmq's built-in proxy (`zmq_proxy_steerable`): every message of `frontend` goes out of
/// `backend` and back, on the calling thread, until a controller says `TERMINATE` or the context
/// shuts down. An XSUB/XPUB pair makes an event fan-out; subscriptions travel upstream by themselves.
///
/// The proxy uses its sockets on the thread that runs it: create them there. A controller is the
/// other end of a ``SocketType/pair`` connected to `control`, owned by another thread.
public enum Proxy {
    /// Runs the proxy until a controller sends ``terminate(over:)``; blocks the calling thread.
    /// - Parameters:
    ///   - frontend: the side messages come from (an XSUB connected to publishers).
    ///   - backend: the side they go to (an XPUB that subscribers connect to).
    ///   - control: a PAIR socket that takes `TERMINATE`, `PAUSE`, `RESUME` and `STATISTICS`; `nil` for none.
    /// - Throws: ``ZMQError`` (``ZMQError/Code/terminated`` once the context shuts down).
    public static func run(frontend: Socket, backend: Socket, control: Socket? = nil) throws(ZMQError) {
        try frontend.check("zmq_proxy_steerable") {
            zmq_proxy_steerable(frontend.handle, backend.handle, nil, control?.handle)
        }
    }

    /// Stops the proxy whose control socket `controller` is connected to; ``run(frontend:backend:control:)`` returns.
    /// - Throws: ``ZMQError`` from the send.
    public static func terminate(over controller: Socket) throws(ZMQError) {
        try controller.send("TERMINATE")
    }

    /// Asks the proxy for its message and byte counts since it started, and waits for them.
    /// - Parameters:
    ///   - controller: a PAIR connected to the proxy's control socket.
    ///   - timeout: how long to wait for the answer.
    /// - Returns: the counts, or `nil` when the proxy did not answer in time.
    /// - Throws: ``ZMQError`` from the socket.
    public static func statistics(over controller: Socket, timeout: Duration) throws(ZMQError) -> ProxyStatistics? {
        try controller.send("STATISTICS")
        guard let frames = try controller.receiveMultipart(timeout: timeout) else { return nil }
        return ProxyStatistics(frames: frames.map(\.bytes))
    }
}

/// What a ``Proxy`` moved since it started, per side: a side "receives" what arrives on its socket
/// and "sends" what leaves it.
public struct ProxyStatistics: Sendable, Hashable {
    /// Messages received on the frontend: for an event fan-out, the events from the publishers.
    public var frontendReceivedMessages: UInt64
    /// Bytes received on the frontend.
    public var frontendReceivedBytes: UInt64
    /// Messages sent out of the frontend: subscriptions forwarded upstream.
    public var frontendSentMessages: UInt64
    /// Bytes sent out of the frontend.
    public var frontendSentBytes: UInt64
    /// Messages received on the backend: subscriptions and unsubscriptions from subscribers.
    public var backendReceivedMessages: UInt64
    /// Bytes received on the backend.
    public var backendReceivedBytes: UInt64
    /// Messages sent out of the backend: events handed to subscribers (before per-subscriber drops).
    public var backendSentMessages: UInt64
    /// Bytes sent out of the backend.
    public var backendSentBytes: UInt64

    /// Reads libzmq's answer: eight frames of one native-endian 64-bit count each.
    init?(frames: [[UInt8]]) {
        guard frames.count == 8, frames.allSatisfy({ $0.count == 8 }) else { return nil }
        let counts = frames.map { bytes in bytes.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) } }
        frontendReceivedMessages = counts[0]
        frontendReceivedBytes = counts[1]
        frontendSentMessages = counts[2]
        frontendSentBytes = counts[3]
        backendReceivedMessages = counts[4]
        backendReceivedBytes = counts[5]
        backendSentMessages = counts[6]
        backendSentBytes = counts[7]
    }
}
