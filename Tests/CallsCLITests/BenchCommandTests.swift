import Calls
import CallsBusMessages
import CallsBusService
import CallsJSON
import CallsTesting
import Foundation
import Testing

/// `calls bench` as a smoke test: it runs and writes both reports. Its figures are not checked
/// here; timing goals belong to the benchmark itself.
@Suite(.timeLimit(.minutes(1)))
struct BenchCommandTests {
    @Test func aQuickRunWritesTheMarkdownAndJSONReports() async throws {
        let folder = TemporaryDirectory()
        defer { folder.remove() }
        let result = try await CLIProcess.run(
            ["bench", "--quick", "--markdown", folder.file("bench.md"), "--json", folder.file("bench.json")],
            timeout: .seconds(50))
        #expect(result.status == 0, "\(result.stderr)")
        let markdown = try String(contentsOfFile: folder.file("bench.md"), encoding: .utf8)
        #expect(markdown.contains("## Bus: `calls.get`, the service beside a raw ROUTER baseline"))
        let json = try JSONValue(parsing: Data(contentsOf: URL(fileURLWithPath: folder.file("bench.json"))))
        #expect(json["bus"]?["requests"] != nil)
    }

    @Test func aRunningBusCanBeMeasuredBesideTheBaseline() async throws {
        try await TestBus.run { bus in
            let empty = try await CLIProcess.run(["bench", "--quick", "--endpoint", bus.endpoints.request])
            #expect(empty.status == 1)
            #expect(empty.stderr.contains("calls simulate"))
            let reply = try await bus.withClient { client in
                try client.request(
                    .telephonyEvent, user: TestDirectory.telephony,
                    ["event": ["type": "Ringing", "callId": "measured", "deviceId": "dev-1001"]])
            }
            #expect(reply.statusCode == 0)
            let result = try await CLIProcess.run(
                ["bench", "--quick", "--endpoint", bus.endpoints.request], timeout: .seconds(50))
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout.contains("bus under test"))
            #expect(result.stdout.contains("*bus under test / baseline*"))
        }
    }
}
