import CallsLoad
import Foundation
import Logging

/// Several buses on one PostgreSQL server (issue #13), measured on the release `calls-bus`
/// program: the store comparison against SQLite, then takeovers in a group of two.
struct GroupResults: Sendable, Encodable {
    /// Why nothing was measured (no `--postgres-url`, no program); `nil` when measured.
    var notMeasured: String?
    /// The PostgreSQL server, `host:port`.
    var postgresServer: String?
    /// `calls.get` and `telephony.event` on SQLite beside PostgreSQL.
    var stores: StoreComparisonBenchmark.Result?
    /// Takeovers after `kill -9` and after `SIGSTOP`.
    var takeover: TakeoverBenchmark.Result?

    /// The goal for `telephony.event` requests per second on PostgreSQL over SQLite.
    static let eventRatioGoal = 0.5

    /// Runs both scenarios, each on a fresh database of the server that `settings.postgresURL`
    /// names, and drops the databases afterwards.
    /// - Throws: ``CallsLoad/BenchError`` when a bus or the server fails; a missing URL or program
    ///   is not an error (the report says so).
    static func measure(settings: BenchSettings, tools: OutsideTools?, logger: Logger) async throws -> GroupResults {
        guard let url = settings.postgresURL else {
            logger.warning("the group benchmarks are skipped: no --postgres-url")
            return GroupResults(notMeasured: "no `--postgres-url` given: the PostgreSQL scenarios were skipped")
        }
        guard let program = tools?.bus, FileManager.default.isExecutableFile(atPath: program) else {
            return GroupResults(notMeasured: "no calls-bus program (`make bench-programs` builds it)")
        }
        let databases = try BenchDatabases(url: url)
        var results = GroupResults(postgresServer: databases.server)
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        do {
            results.stores = try await StoreComparisonBenchmark.run(
                program: program, url: try await databases.make(), settings: settings, folder: scratch,
                logger: logger)
            results.takeover = try await TakeoverBenchmark.run(
                program: program, url: try await databases.make(), kills: settings.groupKills, folder: scratch,
                logger: logger)
        } catch {
            await databases.dropAll()
            throw error
        }
        await databases.dropAll()
        return results
    }

    /// The two goals of issue #13; failed when not measured.
    var goals: [GoalCheck] {
        let eventName = "telephony.event req/s, PostgreSQL / SQLite (release calls-bus)"
        let eventTarget = "≥ \(String(format2: Self.eventRatioGoal))"
        let takeoverName = "takeover after kill -9, median (default --lease-timeout)"
        let takeoverTarget = "< \(String(format1: TakeoverBenchmark.medianGoal)) s"
        var goals: [GoalCheck] = []
        if let events = stores?.comparisons.first(where: { $0.operation == "telephony.event" }) {
            goals.append(
                GoalCheck(
                    name: eventName, measured: String(format2: events.throughputRatio), target: eventTarget,
                    isMet: events.throughputRatio >= Self.eventRatioGoal && events.postgres.refused == 0))
        } else {
            goals.append(GoalCheck(name: eventName, measured: "not measured", target: eventTarget, isMet: false))
        }
        if let takeover, !takeover.killSeconds.isEmpty {
            let median = takeover.killSummary.median
            goals.append(
                GoalCheck(
                    name: takeoverName + ", \(takeover.killSeconds.count) kills",
                    measured: "\(String(median, decimals: 3)) s", target: takeoverTarget,
                    isMet: median < TakeoverBenchmark.medianGoal))
        } else {
            goals.append(GoalCheck(name: takeoverName, measured: "not measured", target: takeoverTarget, isMet: false))
        }
        return goals
    }
}
