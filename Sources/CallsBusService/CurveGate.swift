import Calls
import Logging
import ZMQ

/// The bus's CURVE policy, given to the ZAP handler of the ZMQ layer: who may connect to which
/// socket, and which principal each open connection speaks for now.
///
/// A connection's `User-Id` is its client's public key (Z85), not a principal, so that every
/// request is checked against the clients admitted now: a key removed from the clients folder
/// stops being served on connections it opened before (``principal(ofConnection:)`` answers
/// `nil`), and the events socket is re-bound so its subscribers must pass the gate again.
final class CurveGate {
    static let requestsDomain = "calls.requests"
    static let eventsDomain = "calls.events"

    let handler: ZAPHandler
    private(set) var clients: CurveClients
    private let policy: AccessPolicy
    private let logger: Logger

    /// Binds the ZAP handler in `context`; it must exist before any CURVE socket is bound.
    init(context: Context, clients: CurveClients, policy: AccessPolicy, logger: Logger) throws {
        self.clients = clients
        self.policy = policy
        self.logger = logger
        handler = try ZAPHandler(context: context) { _ in .refuse(reason: "starting") }
        handler.decide = { [unowned self] in decide($0) }
    }

    /// The principal that the connection with this `User-Id` speaks for, if its key is still admitted.
    func principal(ofConnection userId: String?) -> String? {
        guard let userId, let key = CurveKey(z85: userId) else { return nil }
        return clients.principal(for: key.bytes)
    }

    /// Puts a re-read clients folder in force.
    /// - Returns: whether any key admitted before is no longer admitted.
    func replaceClients(with newClients: CurveClients) -> Bool {
        let revoked = clients.keys.contains { newClients.principal(for: $0) != clients.principal(for: $0) }
        clients = newClients
        return revoked
    }

    private func decide(_ request: ZAPRequest) -> ZAPDecision {
        guard let key = request.curveKey, let principalId = clients.principal(for: key.bytes),
            let principal = policy.directory.principal(id: principalId)
        else {
            logger.notice(
                "CURVE client refused",
                metadata: ["bus.zap.domain": "\(request.domain)", "net.peer": "\(request.address)"])
            return .refuse(reason: "unknown key")
        }
        if request.domain == Self.eventsDomain, !policy.maySubscribeToAllEvents(principal) {
            logger.notice(
                "CURVE client refused on the events socket",
                metadata: ["bus.zap.domain": "\(request.domain)", "bus.principal": "\(principalId)"]
            )
            return .refuse(reason: "this principal may not subscribe to every call")
        }
        logger.debug(
            "CURVE client admitted",
            metadata: ["bus.zap.domain": "\(request.domain)", "bus.principal": "\(principalId)"])
        return .admit(userId: key.z85)
    }
}
