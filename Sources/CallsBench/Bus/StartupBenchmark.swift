import CallsBusService
import CallsLoad
import Foundation
import Logging
import ZMQ

/// Starting the service on a large state file: from `run()` to `endpoints()` returning, which
/// covers opening SQLite, decoding every call, building the registry and binding the sockets.
///
/// Then one lockstep client reads random calls for a moment, which shows whether a registry this
/// large slows requests down (periodic work over every call shows up in the maximum).
enum StartupBenchmark {
    /// What the scenario measured.
    struct Result: Sendable, Encodable {
        /// Calls in the state file.
        var calls: Int
        /// Seconds to write them (batches of 5,000, one transaction each).
        var writeSeconds: Double
        /// The state file's size after writing.
        var stateFileBytes: Int
        /// From starting the service to `endpoints()` returning.
        var startupSeconds: Double
        /// `calls.get`, one client in lockstep, on the loaded service.
        var getLatency: LoadResult
    }

    /// The goal for ``Result/startupSeconds``.
    static let goalSeconds = 2.0

    /// Writes the calls, starts the service on them and reads some back.
    static func run(settings: BenchSettings, serviceLogger: Logger) async throws -> Result {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let path = scratch.file("state.sqlite")
        let ids = (0..<settings.startupCalls).map { "boot-\($0)" }
        let calls = ids.enumerated().map { BenchFixtures.establishedCall(id: $1, index: $0) }
        let writeSeconds = try StateSeeder.write(calls, to: path)
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        let configuration = BusConfiguration(
            statePath: path, requestEndpoint: "tcp://127.0.0.1:0", eventsEndpoint: "tcp://127.0.0.1:0")
        return try await ServiceHarness.withService(
            configuration: configuration, directory: BenchFixtures.directory, logger: serviceLogger
        ) { endpoints, startupSeconds in
            let shape = LoadShape(clients: 1, inFlight: 1)
            let outcomes = try await LoadRunner.run(
                shape, context: try Context(), endpoint: endpoints.request,
                source: .randomGets(of: ids, user: BenchFixtures.admin),
                seconds: max(settings.scenarioSeconds / 2, min(settings.scenarioSeconds, 1.5)),
                maxRequests: settings.maxRequestsPerShape)
            return Result(
                calls: calls.count, writeSeconds: writeSeconds, stateFileBytes: size, startupSeconds: startupSeconds,
                getLatency: LoadResult(shape: shape, outcomes: outcomes))
        }
    }

    /// The startup goal.
    static func goals(of result: Result) -> [GoalCheck] {
        [
            GoalCheck(
                name: "startup on \(String(count: result.calls)) calls",
                measured: "\(String(format2: result.startupSeconds)) s",
                target: "< \(String(format1: goalSeconds)) s", isMet: result.startupSeconds < goalSeconds)
        ]
    }
}
