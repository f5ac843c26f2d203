public import Foundation

extension CurveCertificate {
    /// Reads a clients folder, the rule a bus and a proxy share: every public certificate (zcert
    /// files; files ending in `_secret`, hidden files and sub-folders are skipped) that names a
    /// known `principal` in its metadata admits its key.
    /// - Parameters:
    ///   - folder: the clients folder.
    ///   - isKnownPrincipal: whether the directory knows a principal id.
    /// - Returns: each admitted key's principal, and a problem for each file that admits no one
    ///   (unreadable, no principal, an unknown one), in file name order.
    /// - Throws: the file system's error when the folder itself cannot be read.
    public static func readClients(
        folder: String, isKnownPrincipal: (String) -> Bool
    ) throws -> (principalByKey: [[UInt8]: String], problems: [CurveCertificateError]) {
        var principalByKey: [[UInt8]: String] = [:]
        var problems: [CurveCertificateError] = []
        for name in try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
        where !name.hasSuffix("_secret") && !name.hasPrefix(".") {
            let path = (folder as NSString).appendingPathComponent(name)
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), !isFolder.boolValue else {
                continue
            }
            let certificate: CurveCertificate
            do {
                certificate = try CurveCertificate(contentsOf: path)
            } catch {
                problems.append(error)
                continue
            }
            guard let principal = certificate.metadata["principal"], !principal.isEmpty else {
                problems.append(CurveCertificateError(path: path, message: "names no principal in its metadata"))
                continue
            }
            guard isKnownPrincipal(principal) else {
                problems.append(
                    CurveCertificateError(path: path, message: "names '\(principal)', who is not in the directory"))
                continue
            }
            principalByKey[certificate.publicKey.bytes] = principal
        }
        return (principalByKey, problems)
    }
}
