import Calls
import Logging
import ZMQ

/// The bus's ZAP handler (ZeroMQ RFC 27) on `inproc://zeromq.zap.01`: admits only the CURVE keys
/// of the clients folder and gives each connection its principal as `User-Id`.
///
/// A PUB socket cannot filter per connection, so the events socket admits only principals that
/// may see every call (an admin) or act for users (the gateway).
final class ZAPHandler {
    static let requestsDomain = "calls.requests"
    static let eventsDomain = "calls.events"

    let socket: Socket
    var clients: CurveClients
    private let directory: Directory
    private let logger: Logger

    init(context: Context, clients: CurveClients, directory: Directory, logger: Logger) throws {
        socket = try Socket(.reply, context: context)
        try socket.bind("inproc://zeromq.zap.01")
        self.clients = clients
        self.directory = directory
        self.logger = logger
    }

    /// Answers every waiting ZAP request.
    func answerWaitingRequests() throws {
        while let request = try socket.tryReceiveMultipart() {
            try socket.send(multipart: reply(to: request))
        }
    }

    private func reply(to request: [Message]) -> [[UInt8]] {
        // version, request id, domain, address, routing id, mechanism, credentials…
        guard request.count >= 6, request[0].string == "1.0" else {
            return Self.answer(request.count > 1 ? request[1].bytes : [], status: "500", text: "malformed ZAP request")
        }
        let requestId = request[1].bytes
        let domain = request[2].string
        guard request[5].string == "CURVE", request.count >= 7,
            let principalId = clients.principal(for: request[6].bytes),
            let principal = directory.principal(id: principalId)
        else {
            logger.notice(
                "CURVE client refused", metadata: ["bus.zap.domain": "\(domain)", "net.peer": "\(request[3].string)"])
            return Self.answer(requestId, status: "400", text: "unknown key")
        }
        if domain == Self.eventsDomain, !(principal.seesEveryCall || principal.actsForUsers) {
            logger.notice(
                "CURVE client refused on the events socket",
                metadata: ["bus.zap.domain": "\(domain)", "bus.principal": "\(principalId)"]
            )
            return Self.answer(requestId, status: "400", text: "this principal may not subscribe to every call")
        }
        logger.debug(
            "CURVE client admitted", metadata: ["bus.zap.domain": "\(domain)", "bus.principal": "\(principalId)"])
        return Self.answer(requestId, status: "200", text: "OK", userId: principalId)
    }

    private static func answer(_ requestId: [UInt8], status: String, text: String, userId: String = "") -> [[UInt8]] {
        [Array("1.0".utf8), requestId, Array(status.utf8), Array(text.utf8), Array(userId.utf8), []]
    }
}
