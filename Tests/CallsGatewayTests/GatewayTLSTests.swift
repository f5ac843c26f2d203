import CallsJSON
import CallsTesting
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import CallsGateway

/// HTTPS with `--tls-certificate` and `--tls-key`, and no plain HTTP beyond loopback (contract
/// section 11). The certificate is made at run time with the `openssl` command.
@Suite(.timeLimit(.minutes(1)))
struct GatewayTLSTests {
    typealias H = GatewayHarness

    /// A self-signed EC certificate for `127.0.0.1` and `localhost` with its key, in `folder`.
    static func makeCertificate(in folder: TemporaryDirectory) throws -> (certificate: String, key: String) {
        let (certificate, key) = (folder.file("cert.pem"), folder.file("key.pem"))
        let openssl = Process()
        openssl.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        openssl.arguments = [
            "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", key, "-out", certificate, "-days", "1", "-subj", "/CN=127.0.0.1",
            "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
        ]
        openssl.standardOutput = FileHandle.nullDevice
        openssl.standardError = FileHandle.nullDevice
        try ProcessLaunch.run(openssl)
        openssl.waitUntilExit()
        guard openssl.terminationStatus == 0 else {
            throw BusTestError("openssl req failed (\(openssl.terminationStatus)): is the openssl package installed?")
        }
        return (certificate, key)
    }

    @Test func httpsServesHealthAndTheCallsAPIWithBasicAuthentication() async throws {
        let folder = TemporaryDirectory()
        defer { folder.remove() }
        let (certificate, key) = try Self.makeCertificate(in: folder)
        try await H.run(
            .ahc(.https),
            tune: {
                $0.tlsCertificateFile = certificate
                $0.tlsKeyFile = key
            }
        ) { client, bus in
            try await client.execute(uri: "/healthz", method: .get) { response in
                #expect(response.status == .ok)
            }
            try await bus.report([("Ringing", "tls-1", "dev-1001")])
            try await client.execute(uri: "/api/v2/me/calls", method: .get, headers: H.basic("agent-1001")) {
                response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "application/json")
                #expect(response.json?.statusCode == 0)
                #expect(response.json?["calls"]?.arrayValue?.map { $0["id"] } == ["tls-1"])
            }
            try await client.execute(uri: "/api/v2/me/calls", method: .get) { response in
                #expect(response.status == .unauthorized)
            }
        }
    }

    @Test(arguments: ["0.0.0.0", "::", "192.0.2.10", "calls.example.com"])
    func plainHTTPBeyondLoopbackIsRefusedNamingTheAddress(host: String) throws {
        let configuration = GatewayConfiguration(host: host, port: 8080)
        let error = try #require(throws: GatewayConfigurationError.self) { try configuration.serverBuilder() }
        #expect(error.key == "listen")
        #expect(error.description.contains(configuration.listenAddress))
        #expect(error.description.contains("--insecure"))
        #expect(!error.description.contains("\n"))
        var insecure = configuration
        insecure.allowsInsecureListen = true
        _ = try insecure.serverBuilder()
    }

    @Test(arguments: ["127.0.0.1", "127.0.0.2", "localhost", "::1"])
    func plainHTTPOnLoopbackIsAllowed(host: String) throws {
        _ = try GatewayConfiguration(host: host, port: 8080).serverBuilder()
    }

    @Test func tlsIsAllowedBeyondLoopbackAndBadFilesAreNamed() throws {
        let folder = TemporaryDirectory()
        defer { folder.remove() }
        let (certificate, key) = try Self.makeCertificate(in: folder)
        var configuration = GatewayConfiguration(
            host: "0.0.0.0", port: 8080, tlsCertificateFile: certificate, tlsKeyFile: key)
        _ = try configuration.serverBuilder()
        configuration.tlsKeyFile = folder.file("missing.pem")
        let missing = try #require(throws: GatewayConfigurationError.self) { try configuration.serverBuilder() }
        #expect(missing.key == "tls-key")
        #expect(missing.description.contains("missing.pem"))
        configuration.tlsKeyFile = certificate
        #expect(throws: GatewayConfigurationError.self) { try configuration.serverBuilder() }
    }
}
