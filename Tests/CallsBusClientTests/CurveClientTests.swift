import Calls
import CallsBusClient
import CallsBusMessages
import CallsBusService
import CallsJSON
import CallsTesting
import Foundation
import Testing
import ZMQ

/// The client over CURVE, with certificates in files as an operator would deploy them.
@Suite(.timeLimit(.minutes(1)))
struct CurveClientTests {
    @Test func aClientWithItsCertificateTalksAndSubscribesOverCurve() async throws {
        let folder = TemporaryDirectory()
        defer { folder.remove() }
        try FileManager.default.createDirectory(atPath: folder.file("clients"), withIntermediateDirectories: true)
        let bus = try CurveKeyPair.generate()
        let admin = try CurveKeyPair.generate()
        let telephony = try CurveKeyPair.generate()
        try CurveCertificate(publicKey: bus.publicKey, secretKey: bus.secretKey)
            .save(publicTo: folder.file("bus.pub"), secretTo: folder.file("bus_secret"))
        try CurveCertificate(publicKey: admin.publicKey, secretKey: admin.secretKey, metadata: ["principal": "admin"])
            .save(publicTo: folder.file("clients/admin"), secretTo: folder.file("admin_secret"))
        try CurveCertificate(
            publicKey: telephony.publicKey, secretKey: telephony.secretKey, metadata: ["principal": "switch-1"]
        )
        .save(publicTo: folder.file("clients/switch-1"), secretTo: folder.file("switch_secret"))
        try await TestBus.run(configure: { configuration in
            configuration.curveSecretKeyFile = folder.file("bus_secret")
            configuration.curveClientsDirectory = folder.file("clients")
        }) { testBus in
            var configuration = testBus.clientConfiguration
            configuration.curveSecretKeyFile = folder.file("admin_secret")
            configuration.curveServerKeyFile = folder.file("bus.pub")
            var switchConfiguration = configuration
            switchConfiguration.curveSecretKeyFile = folder.file("switch_secret")
            try await withBusClient(configuration) { client in
                try await withBusClient(switchConfiguration) { adapter in
                    let events = try await client.events(for: TestDirectory.admin, prefix: EventTopic.allCalls)
                    let event: JSONValue = ["type": "Ringing", "callId": "secure-1", "deviceId": "dev-1001"]
                    let request = BusRequest(
                        operation: .telephonyEvent, user: TestDirectory.telephony, fields: ["event": event])
                    // The admin's key may not speak for the switch: CURVE binds a key to its principal.
                    let refused = try await client.send(request)
                    #expect(refused.statusCode == 5)
                    let accepted = try await adapter.send(request)
                    #expect(accepted.statusCode == 0)
                    var iterator = events.makeAsyncIterator()
                    guard case .event(let received)? = try await iterator.next() else {
                        Issue.record("the admin's subscription over CURVE got no event")
                        return
                    }
                    #expect(received.topic == "calls/agent-1001/secure-1")
                    #expect(received.seq == 1)
                }
            }
        }
    }
}
