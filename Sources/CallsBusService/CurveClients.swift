import Calls
import Foundation
import ZMQ

/// The clients admitted with CURVE: each public key and the principal its certificate names.
struct CurveClients {
    private(set) var principalByKey: [[UInt8]: String] = [:]

    /// Reads every public certificate in `directory` (files ending in `_secret` are skipped).
    /// - Throws: ``BusServiceError`` when the folder cannot be read, a certificate is broken, names
    ///   no principal, or names one the directory does not know.
    init(directory: String, principals: Directory) throws {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
        } catch {
            throw BusServiceError(
                code: .curveUnusable, message: "cannot read the CURVE clients folder \(directory)", underlying: error)
        }
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
                throw BusServiceError(code: .curveUnusable, message: "\(error)")
            }
            guard let principal = certificate.metadata["principal"], !principal.isEmpty else {
                throw BusServiceError(
                    code: .curveUnusable, message: "CURVE certificate \(path) names no principal in its metadata")
            }
            guard principals.principal(id: principal) != nil else {
                throw BusServiceError(
                    code: .curveUnusable,
                    message: "CURVE certificate \(path) names '\(principal)', who is not in the directory")
            }
            principalByKey[certificate.publicKey.bytes] = principal
        }
    }

    /// The principal admitted with `key`, if any.
    func principal(for key: [UInt8]) -> String? { principalByKey[key] }

    var count: Int { principalByKey.count }
}
