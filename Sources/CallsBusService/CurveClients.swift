import Calls
import Foundation
import ZMQ

/// The clients admitted with CURVE: each public key and the principal its certificate names.
struct CurveClients {
    private(set) var principalByKey: [[UInt8]: String] = [:]

    /// Reads every public certificate in `directory` (files ending in `_secret` are skipped), and
    /// refuses the folder if any certificate is unusable: at start, a mistake must be seen.
    /// - Throws: ``BusServiceError`` when the folder cannot be read, a certificate is broken, names
    ///   no principal, or names one the directory does not know.
    init(directory: String, principals: Directory) throws {
        let (clients, problems) = try Self.read(directory: directory, principals: principals)
        if let problem = problems.first { throw BusServiceError(code: .curveUnusable, message: problem) }
        self = clients
    }

    private init() {}

    /// Reads the folder, admitting every usable certificate and describing each unusable one. On a
    /// reload this is what counts: a broken file must neither block the removal of other keys nor
    /// keep its own key admitted.
    /// - Throws: ``BusServiceError`` only when the folder itself cannot be read.
    static func read(directory: String, principals: Directory) throws -> (clients: CurveClients, problems: [String]) {
        var clients = CurveClients()
        let problems: [CurveCertificateError]
        do {
            (clients.principalByKey, problems) = try CurveCertificate.readClients(
                folder: directory, isKnownPrincipal: { principals.principal(id: $0) != nil })
        } catch {
            throw BusServiceError(
                code: .curveUnusable, message: "cannot read the CURVE clients folder \(directory)", underlying: error)
        }
        return (clients, problems.map(\.description))
    }

    /// The principal admitted with `key`, if any.
    func principal(for key: [UInt8]) -> String? { principalByKey[key] }

    /// Every admitted key.
    var keys: Dictionary<[UInt8], String>.Keys { principalByKey.keys }

    var count: Int { principalByKey.count }
}
