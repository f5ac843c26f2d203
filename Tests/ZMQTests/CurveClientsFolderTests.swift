import Foundation
import Testing
import ZMQ

/// `CurveCertificate.readClients`: the clients folder rule the bus and the proxy share.
struct CurveClientsFolderTests {
    @Test func aFolderAdmitsKnownPrincipalsAndNamesEveryFileThatAdmitsNoOne() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("curve-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        func write(_ name: String, metadata: [String: String]) throws -> CurveKey {
            let pair = try CurveKeyPair.generate()
            let certificate = CurveCertificate(publicKey: pair.publicKey, secretKey: pair.secretKey, metadata: metadata)
            try certificate.save(publicTo: "\(folder)/\(name)", secretTo: "\(folder)/\(name)_secret")
            return pair.publicKey
        }
        let admin = try write("admin.cert", metadata: ["principal": "admin"])
        _ = try write("stranger.cert", metadata: ["principal": "stranger"])
        _ = try write("anonymous.cert", metadata: [:])
        try "not a certificate".write(toFile: "\(folder)/broken.cert", atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(atPath: "\(folder)/sub", withIntermediateDirectories: true)

        let (clients, problems) = try CurveCertificate.readClients(folder: folder) { $0 == "admin" }

        #expect(clients == [admin.bytes: "admin"])
        #expect(
            problems.map { ($0.path as NSString).lastPathComponent } == [
                "anonymous.cert", "broken.cert", "stranger.cert",
            ])
        #expect(problems.first?.description.contains("names no principal") == true)
        #expect(problems.last?.description.contains("'stranger', who is not in the directory") == true)
        #expect(throws: (any Error).self) {
            try CurveCertificate.readClients(folder: "\(folder)/missing") { _ in true }
        }
    }
}
