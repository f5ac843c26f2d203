import CallsLoad
import Foundation
import Logging

/// GWS notifications over CometD under fan-out (issue #12): every size of
/// ``CometDFanOutBenchmark``, one after the other, each on a fresh bus and gateway.
struct CometDResults: Sendable, Encodable {
    /// Why nothing was measured (a program is missing); `nil` when measured.
    var notMeasured: String?
    /// Each size measured.
    var runs: [CometDFanOutResult] = []

    /// The size the goals are checked at.
    static let goalSessions = 2_000
    /// The p99 goal from the bus's publish to a session's receipt, in milliseconds.
    static let p99GoalMilliseconds = 250.0
    /// The memory goal per idle session, in bytes.
    static let idleSessionGoalBytes = 20.0 * 1_024

    /// Runs every size in `settings.cometdSessions`.
    /// - Throws: ``CallsLoad/BenchError`` when a program fails or a run cannot be set up.
    static func measure(settings: BenchSettings, tools: OutsideTools?, logger: Logger) async throws -> CometDResults {
        guard let tools else { return CometDResults(notMeasured: "no programs given") }
        let missing = [tools.bus, tools.gateway].filter { !FileManager.default.isExecutableFile(atPath: $0) }
        guard missing.isEmpty else {
            logger.warning("the cometd fan-out is not measured", metadata: ["bench.missing": "\(missing)"])
            return CometDResults(notMeasured: "missing \(missing.joined(separator: ", ")) (`make bench` builds them)")
        }
        var results = CometDResults()
        for sessions in settings.cometdSessions {
            results.runs.append(
                try await CometDFanOutBenchmark.measure(
                    sessions: sessions, rate: settings.cometdEventRate, seconds: settings.cometdSeconds,
                    programs: tools, logger: logger))
        }
        return results
    }

    /// The run the goals are checked at: 2,000 sessions, else the largest measured.
    var goalRun: CometDFanOutResult? {
        runs.first { $0.sessions == Self.goalSessions } ?? runs.max { $0.sessions < $1.sessions }
    }

    /// The fan-out goals; failed goals when nothing was measured.
    var goals: [GoalCheck] {
        guard let run = goalRun else {
            return [
                GoalCheck(
                    name: "CometD fan-out", measured: "not measured", target: "measured", isMet: false)
            ]
        }
        let subject = "\(String(count: Double(run.sessions))) sessions at \(String(count: run.targetRate)) events/s"
        let p99 = run.cometd.p99Microseconds / 1_000
        let rateReached = run.achievedRate >= run.targetRate * 0.95
        return [
            GoalCheck(
                name: "CometD publish → receipt p99, \(subject)", measured: "\(String(format1: p99)) ms",
                target: "< \(String(format1: Self.p99GoalMilliseconds)) ms",
                isMet: rateReached && run.cometd.count > 0 && p99 < Self.p99GoalMilliseconds),
            GoalCheck(
                name: "CometD sessions lost, \(subject)",
                measured:
                    "\(String(count: run.sessionsLost)) lost, \(String(count: run.sessionsComplete)) of "
                    + "\(String(count: run.sessions)) got every event",
                target: "none lost, all complete", isMet: rateReached && run.isClean),
            GoalCheck(
                name: "gateway memory per idle CometD session (\(String(count: Double(run.sessions))) sessions)",
                measured: "\(String(format1: run.bytesPerIdleSession / 1_024)) KB",
                target: "< \(String(format1: Self.idleSessionGoalBytes / 1_024)) KB",
                isMet: run.sessionsHeldIdle == run.sessions && run.bytesPerIdleSession < Self.idleSessionGoalBytes),
        ]
    }
}
