import Calls
import Logging
import ZMQ

/// The proxy's CURVE material, read once at start: its key pair and the bus's public key (CURVE
/// towards the bus), and the key pair it presents with the gate of its subscribers (CURVE towards them).
struct ProxySecurity: Sendable {
    var towardsBus: (keys: CurveKeyPair, busKey: CurveKey)?
    var towardsSubscribers: (keys: CurveKeyPair, gate: SubscriberGate)?

    /// Reads the certificates the configuration names.
    /// - Throws: ``ProxyError`` naming the file or folder that cannot be used.
    init(configuration: ProxyConfiguration, directory: Directory?, logger: Logger) throws {
        if let secretFile = configuration.curveSecretKeyFile, let busFile = configuration.curveServerKeyFile {
            towardsBus = (try Self.keyPair(secretFile), try Self.publicKey(busFile))
        }
        if let folder = configuration.curveClients,
            let secretFile = configuration.curvePublishSecretKeyFile ?? configuration.curveSecretKeyFile
        {
            guard let directory else {
                throw ProxyError(
                    code: .curveUnusable,
                    message: "--curve-clients needs --directory: the principals its certificates name")
            }
            let gate = try SubscriberGate(folder: folder, directory: directory, logger: logger)
            towardsSubscribers = (try Self.keyPair(secretFile), gate)
        }
    }

    private static func keyPair(_ path: String) throws -> CurveKeyPair {
        do {
            guard let keys = try CurveCertificate(contentsOf: path).keyPair else {
                throw ProxyError(
                    code: .curveUnusable, message: "\(path) is not a secret certificate (no valid secret-key)")
            }
            return keys
        } catch let error as CurveCertificateError {
            throw ProxyError(code: .curveUnusable, message: "\(error)")
        }
    }

    private static func publicKey(_ path: String) throws -> CurveKey {
        do {
            return try CurveCertificate(contentsOf: path).publicKey
        } catch {
            throw ProxyError(code: .curveUnusable, message: "\(error)")
        }
    }
}
