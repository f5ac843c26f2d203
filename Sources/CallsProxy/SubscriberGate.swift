import Calls
import Logging
import ZMQ

/// Who may subscribe at the proxy over CURVE: the bus's rule for its events socket, applied to the
/// proxy's own clients folder. A key must be in the folder, its certificate must name a principal
/// of the directory, and that principal must be allowed to see every call
/// (``Calls/AccessPolicy/maySubscribeToAllEvents(_:)``), since a subscriber hears every event.
final class SubscriberGate: Sendable {
    /// The ZAP domain of the proxy's XPUB.
    static let domain = "calls.proxy.events"

    private let principalByKey: [[UInt8]: String]
    private let policy: AccessPolicy
    private let logger: Logger

    /// Reads every public certificate in `folder` (files ending in `_secret` and hidden files are skipped).
    /// - Throws: ``ProxyError`` when the folder cannot be read, or a certificate is broken, names no
    ///   principal or one the directory does not know: at start, a mistake must be seen.
    init(folder: String, directory: Directory, logger: Logger) throws {
        policy = AccessPolicy(directory: directory)
        self.logger = logger
        let problems: [CurveCertificateError]
        do {
            (principalByKey, problems) = try CurveCertificate.readClients(
                folder: folder, isKnownPrincipal: { directory.principal(id: $0) != nil })
        } catch {
            throw ProxyError(
                code: .curveUnusable, message: "cannot read the CURVE clients folder \(folder)", underlying: error)
        }
        if let problem = problems.first { throw ProxyError(code: .curveUnusable, message: problem.description) }
    }

    /// How many keys are admitted.
    var count: Int { principalByKey.count }

    /// Admits or refuses one connection; logs either way, as the bus does.
    func decide(_ request: ZAPRequest) -> ZAPDecision {
        guard let key = request.curveKey, let principalId = principalByKey[key.bytes],
            let principal = policy.directory.principal(id: principalId)
        else {
            logger.notice("CURVE subscriber refused: unknown key", metadata: ["net.peer": "\(request.address)"])
            return .refuse(reason: "unknown key")
        }
        guard policy.maySubscribeToAllEvents(principal) else {
            logger.notice(
                "CURVE subscriber refused: may not see every call",
                metadata: ["net.peer": "\(request.address)", "proxy.principal": "\(principalId)"])
            return .refuse(reason: "this principal may not subscribe to every call")
        }
        logger.info(
            "CURVE subscriber admitted",
            metadata: ["net.peer": "\(request.address)", "proxy.principal": "\(principalId)"])
        return .admit(userId: key.z85)
    }
}
