import CallsTesting
import Foundation
import Testing
import ZMQ

@Suite(.timeLimit(.minutes(1)))
struct KeysCommandTests {
    @Test func generateWritesAZcertPairWithAPrivateSecretFile() async throws {
        let folder = TemporaryDirectory()
        defer { folder.remove() }
        let made = try await CLIProcess.run([
            "keys", "generate", "gw", "--directory", folder.path, "--principal", "gateway",
        ])
        #expect(made.status == 0, "\(made.stderr)")
        let publicCertificate = try CurveCertificate(contentsOf: folder.file("gw.pub"))
        let secretCertificate = try CurveCertificate(contentsOf: folder.file("gw_secret"))
        #expect(publicCertificate.metadata == ["principal": "gateway"])
        #expect(publicCertificate.secretKey == nil)
        #expect(secretCertificate.publicKey == publicCertificate.publicKey)
        #expect(secretCertificate.keyPair?.publicKey == publicCertificate.publicKey)
        let mode = try FileManager.default.attributesOfItem(atPath: folder.file("gw_secret"))[.posixPermissions] as? Int
        #expect(mode == 0o600)

        let again = try await CLIProcess.run(["keys", "generate", "gw", "--directory", folder.path])
        #expect(again.status == 2)
        #expect(again.stderr.contains("--force"))
        let forced = try await CLIProcess.run(["keys", "generate", "gw", "--directory", folder.path, "--force"])
        #expect(forced.status == 0)
        #expect(try CurveCertificate(contentsOf: folder.file("gw.pub")).publicKey != publicCertificate.publicKey)
    }
}
