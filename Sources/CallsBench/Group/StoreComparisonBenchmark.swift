import CallsBusService
import CallsLoad
import Foundation
import Logging
import ZMQ

/// The release `calls-bus` program on a SQLite file beside the same program on a fresh PostgreSQL
/// database (alone in its group, so active), loaded alike in alternating slices of the same run:
/// `calls.get` (answered from memory on both) and `telephony.event` (each batch committed to the
/// store before its replies: one fsync on SQLite, one durable transaction on PostgreSQL).
enum StoreComparisonBenchmark {
    /// One load on both stores.
    struct Comparison: Sendable, Encodable {
        /// `calls.get` or `telephony.event`.
        var operation: String
        /// The bus on its SQLite file.
        var sqlite: LoadResult
        /// The bus on PostgreSQL.
        var postgres: LoadResult

        /// PostgreSQL's requests per second over SQLite's.
        var throughputRatio: Double { postgres.requestsPerSecond / max(sqlite.requestsPerSecond, 1e-9) }
        /// PostgreSQL's median round trip over SQLite's.
        var p50Ratio: Double { postgres.latency.p50Microseconds / max(sqlite.latency.p50Microseconds, 1e-9) }
    }

    /// Every load.
    struct Result: Sendable, Encodable {
        /// Calls each bus was given before measuring (through `telephony.event`).
        var seededCalls: Int
        /// Alternating slices per load and store.
        var slices: Int
        /// The loads, in the report's order.
        var comparisons: [Comparison]
    }

    /// The loads: `calls.get` from one lockstep client and pipelined, events pipelined.
    private static let loads: [(operation: String, shape: LoadShape)] = [
        ("calls.get", LoadShape(clients: 1, inFlight: 1)), ("calls.get", LoadShape(clients: 8, inFlight: 8)),
        ("telephony.event", LoadShape(clients: 4, inFlight: 64)),
    ]

    /// Starts both buses, seeds them, and loads them in alternating slices.
    /// - Parameter url: an empty PostgreSQL database.
    /// - Throws: ``CallsLoad/BenchError`` when a bus fails or refuses the seeding.
    static func run(
        program: String, url: String, settings: BenchSettings, folder: ScratchDirectory, logger: Logger
    ) async throws -> Result {
        let directoryFile = folder.file("directory.json")
        try Data(BenchFixtures.directoryFile).write(to: URL(fileURLWithPath: directoryFile))
        let sqlite = try BenchBus(
            program: program, directoryFile: directoryFile, store: ["--state", folder.file("compare.sqlite")])
        let postgres = try BenchBus(program: program, directoryFile: directoryFile, store: ["--database-url", url])
        do {
            try await sqlite.start(waitingFor: BenchBus.startedLine)
            try await postgres.start(waitingFor: BenchBus.activeLine)
            let context = try Context()
            let seeds = settings.groupSeedCalls
            for bus in [sqlite, postgres] {
                let outcomes = try await LoadRunner.run(
                    LoadShape(clients: 1, inFlight: 16), context: context, endpoint: bus.endpoints.request,
                    source: .newCalls(prefix: "seed-"), seconds: 120, maxRequests: seeds)
                let accepted = outcomes.reduce(0) { $0 + $1.latencies.count - $1.refused }
                guard accepted == seeds else { throw BenchError("a bus accepted \(accepted) of \(seeds) seed events") }
            }
            let ids = (0..<seeds).map { "seed-\($0)" }
            let slices = settings.isQuick ? 1 : 2
            let seconds = settings.scenarioSeconds / Double(slices)
            var runs = Array(
                repeating: (sqlite: [[LoadClient.Outcome]](), postgres: [[LoadClient.Outcome]]()), count: loads.count)
            for slice in 0..<slices {
                for (index, load) in loads.enumerated() {
                    logger.info(
                        "bench scenario",
                        metadata: ["bench.scenario": "\(load.operation) on SQLite and PostgreSQL, \(load.shape.name)"])
                    let source: RequestSource =
                        load.operation == "calls.get"
                        ? .randomGets(of: ids, user: BenchFixtures.admin) : .ringAndAnswer(prefix: "tp-\(slice)-")
                    for (side, bus) in [sqlite, postgres].enumerated() {
                        let outcomes = try await LoadRunner.run(
                            load.shape, context: context, endpoint: bus.endpoints.request, source: source,
                            seconds: seconds, maxRequests: settings.maxRequestsPerShape)
                        if side == 0 {
                            runs[index].sqlite.append(outcomes)
                        } else {
                            runs[index].postgres.append(outcomes)
                        }
                    }
                }
            }
            try await sqlite.stop()
            try await postgres.stop()
            let comparisons = zip(loads, runs).map { load, run in
                Comparison(
                    operation: load.operation, sqlite: LoadResult(shape: load.shape, runs: run.sqlite),
                    postgres: LoadResult(shape: load.shape, runs: run.postgres))
            }
            return Result(seededCalls: seeds, slices: slices, comparisons: comparisons)
        } catch {
            try? await sqlite.kill()
            try? await postgres.kill()
            throw error
        }
    }
}
