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
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
        } catch {
            throw BusServiceError(
                code: .curveUnusable, message: "cannot read the CURVE clients folder \(directory)", underlying: error)
        }
        var clients = CurveClients()
        var problems: [String] = []
        for name in names where !name.hasSuffix("_secret") && !name.hasPrefix(".") {
            let path = (directory as NSString).appendingPathComponent(name)
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), !isFolder.boolValue else {
                continue
            }
            let certificate: CurveCertificate
            do {
                certificate = try CurveCertificate(contentsOf: path)
            } catch {
                problems.append("\(error)")
                continue
            }
            guard let principal = certificate.metadata["principal"], !principal.isEmpty else {
                problems.append("CURVE certificate \(path) names no principal in its metadata")
                continue
            }
            guard principals.principal(id: principal) != nil else {
                problems.append("CURVE certificate \(path) names '\(principal)', who is not in the directory")
                continue
            }
            clients.principalByKey[certificate.publicKey.bytes] = principal
        }
        return (clients, problems)
    }

    /// The principal admitted with `key`, if any.
    func principal(for key: [UInt8]) -> String? { principalByKey[key] }

    /// Every admitted key.
    var keys: Dictionary<[UInt8], String>.Keys { principalByKey.keys }

    var count: Int { principalByKey.count }
}
