import Calls
import CallsBusMessages
import CallsBusService
import CallsJSON
import CallsTesting
import Foundation
import Testing

/// `calls bench` as a smoke test: it measures a running bus and writes both reports. Its figures
/// are not checked here; timing goals belong to the benchmark itself.
@Suite(.timeLimit(.minutes(1)))
struct BenchCommandTests {
    @Test func withoutAnEndpointItIsAUsageError() async throws {
        let result = try await CLIProcess.run(["bench", "--quick"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("--endpoint"))
        #expect(result.stdout.isEmpty)
    }

    @Test func aRunningBusIsMeasuredBesideTheBaseline() async throws {
        try await TestBus.run { bus in
            let empty = try await CLIProcess.run(["bench", "--quick", "--endpoint", bus.endpoints.request])
            #expect(empty.status == 1)
            #expect(empty.stderr.contains("calls simulate"))
            #expect(try await bus.report("Ringing", callId: "measured", deviceId: "dev-1001") == 0)
            let result = try await CLIProcess.run(
                ["bench", "--quick", "--endpoint", bus.endpoints.request], timeout: .seconds(50))
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout.contains("bus under test"))
            #expect(result.stdout.contains("*bus under test / baseline*"))
        }
    }

    @Test func theReportsGoToTheFilesAsked() async throws {
        let folder = TemporaryDirectory()
        defer { folder.remove() }
        try await TestBus.run { bus in
            #expect(try await bus.report("Ringing", callId: "measured", deviceId: "dev-1001") == 0)
            let result = try await CLIProcess.run(
                [
                    "bench", "--quick", "--endpoint", bus.endpoints.request, "--markdown", folder.file("bench.md"),
                    "--json", folder.file("bench.json"),
                ], timeout: .seconds(50))
            #expect(result.status == 0, "\(result.stderr)")
        }
        let markdown = try String(contentsOfFile: folder.file("bench.md"), encoding: .utf8)
        #expect(markdown.contains("beside a raw ROUTER baseline"))
        let json = try JSONValue(parsing: Data(contentsOf: URL(fileURLWithPath: folder.file("bench.json"))))
        #expect(json["requests"]?["comparisons"]?.arrayValue?.count == 3)
        #expect(json["requests"]?["calls"] == .number(1))
    }
}
