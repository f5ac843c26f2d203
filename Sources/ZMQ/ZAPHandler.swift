/// A ZAP handler (ZeroMQ RFC 27) on `inproc://zeromq.zap.01` of one context: libzmq asks it about
/// every connection that a CURVE (or PLAIN) server socket of that context accepts, and the
/// handler answers with the decision its owner gives.
///
/// The framing is this type's business; the policy is the `decide` closure's. Like every socket,
/// the handler belongs to one thread: poll ``socket`` beside the others and call
/// ``answerWaitingRequests()`` when it is readable.
public final class ZAPHandler {
    /// The REP socket libzmq sends its requests to; register it with a ``Poller``.
    public let socket: Socket
    /// Decides each request; replace it (from the owning thread) to change the policy.
    public var decide: (ZAPRequest) -> ZAPDecision

    /// The endpoint libzmq sends ZAP requests to.
    public static let endpoint = "inproc://zeromq.zap.01"

    /// Binds the handler in `context`.
    /// - Parameters:
    ///   - context: the context whose server sockets it authenticates (one handler per context).
    ///   - decide: the policy.
    /// - Throws: ``ZMQError`` when another handler is already bound in this context.
    public init(context: Context, decide: @escaping (ZAPRequest) -> ZAPDecision) throws(ZMQError) {
        socket = try Socket(.reply, context: context)
        try socket.set(.linger, .zero)
        try socket.bind(Self.endpoint)
        self.decide = decide
    }

    /// Answers every request waiting now; returns at once when there is none.
    /// - Throws: ``ZMQError`` from the socket (``ZMQError/Code/terminated`` once the context shuts down).
    public func answerWaitingRequests() throws(ZMQError) {
        while let frames = try socket.tryReceiveMultipart() {
            try socket.send(multipart: reply(to: frames))
        }
    }

    /// Serves requests until the context shuts down: for a handler on a thread of its own.
    /// - Throws: ``ZMQError`` other than ``ZMQError/Code/terminated``.
    public func serve() throws(ZMQError) {
        while true {
            let frames: [Message]
            do {
                frames = try socket.receiveMultipart()
            } catch {
                if error.isTerminated { return }
                throw error
            }
            try socket.send(multipart: reply(to: frames))
        }
    }

    private func reply(to frames: [Message]) -> [[UInt8]] {
        // version, request id, domain, address, routing id, mechanism, credentials...
        guard frames.count >= 6, frames[0].string == "1.0" else {
            return Self.answer(frames.count > 1 ? frames[1].bytes : [], status: "500", text: "malformed ZAP request")
        }
        let request = ZAPRequest(
            domain: frames[2].string,
            address: frames[3].string,
            mechanism: frames[5].string,
            credentials: frames.dropFirst(6).map(\.bytes)
        )
        switch decide(request) {
        case .admit(let userId):
            return Self.answer(frames[1].bytes, status: "200", text: "OK", userId: userId)
        case .refuse(let reason):
            return Self.answer(frames[1].bytes, status: "400", text: reason)
        }
    }

    private static func answer(_ requestId: [UInt8], status: String, text: String, userId: String = "") -> [[UInt8]] {
        [Array("1.0".utf8), requestId, Array(status.utf8), Array(text.utf8), Array(userId.utf8), []]
    }
}

@available(*, unavailable)
extension ZAPHandler: Sendable {}

/// One connection asking to be admitted, as libzmq describes it.
public struct ZAPRequest: Sendable, Hashable {
    /// The server socket's `ZMQ_ZAP_DOMAIN` (empty when it set none).
    public var domain: String
    /// The peer's address, such as `127.0.0.1`.
    public var address: String
    /// `CURVE`, `PLAIN` or `NULL`.
    public var mechanism: String
    /// The mechanism's credentials: for CURVE, the client's 32-byte public key.
    public var credentials: [[UInt8]]

    /// Creates a request.
    public init(domain: String, address: String, mechanism: String, credentials: [[UInt8]]) {
        self.domain = domain
        self.address = address
        self.mechanism = mechanism
        self.credentials = credentials
    }

    /// The client's CURVE public key, when the mechanism is CURVE.
    public var curveKey: CurveKey? {
        guard mechanism == "CURVE", let bytes = credentials.first else { return nil }
        return CurveKey(bytes: bytes)
    }
}

/// What a ``ZAPHandler`` answers.
public enum ZAPDecision: Sendable, Hashable {
    /// Let the connection in; every message it sends carries `userId` as its `User-Id` property.
    case admit(userId: String)
    /// Turn the connection away, with a reason libzmq logs.
    case refuse(reason: String)
}
