import CallsBusService
import CallsLoad
import Foundation
import Glibc
import Logging
import ZMQ

/// Two release `calls-bus` programs on one fresh PostgreSQL database with the default
/// `--lease-timeout`: the active one is killed (`kill -9`) while a client sends requests, and the
/// time from the kill to the client's first successful reply from the other bus is measured; the
/// killed one is started again as the standby, and so on. Then one takeover after `SIGSTOP` of the
/// active bus: a paused bus keeps its connections, so the standby waits for the lease to expire.
enum TakeoverBenchmark {
    /// Every takeover of a run.
    struct Result: Sendable, Encodable {
        /// The buses' `--lease-timeout`: the default.
        var leaseTimeout: Double
        /// Seconds from each `kill -9` to the first successful reply from the other bus.
        var killSeconds: [Double]
        /// Requests the client gave up (no reply) over all kills.
        var killAbandoned: Int
        /// Refused replies over all kills.
        var killRefused: Int
        /// Seconds from `SIGSTOP` of the active bus to the first successful reply from the other;
        /// `nil` when none came within ``pauseLimit``.
        var pauseSeconds: Double?
        /// Why no takeover came after `SIGSTOP`: the standby's last warning; `nil` when one came.
        var pauseFailure: String?
        /// Requests the client gave up after the `SIGSTOP`.
        var pauseAbandoned: Int

        /// The fastest, median and slowest takeover after a kill.
        var killSummary: (min: Double, median: Double, max: Double) {
            let sorted = killSeconds.sorted()
            guard !sorted.isEmpty else { return (0, 0, 0) }
            let middle = sorted.count / 2
            let median = sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
            return (sorted[0], median, sorted[sorted.count - 1])
        }
    }

    /// How long the pause scenario waits for a takeover (five default lease timeouts).
    static let pauseLimit = 15.0

    /// The goal for the median takeover after a kill, in seconds.
    static let medianGoal = 2.0

    /// Runs `kills` takeovers after `kill -9` and one after `SIGSTOP` on the database at `url`.
    /// - Throws: ``CallsLoad/BenchError`` when a bus fails to start, stand by or take over.
    static func run(
        program: String, url: String, kills: Int, folder: ScratchDirectory, logger: Logger
    ) async throws -> Result {
        let directoryFile = folder.file("directory.json")
        try Data(BenchFixtures.directoryFile).write(to: URL(fileURLWithPath: directoryFile))
        var active = try BenchBus(program: program, directoryFile: directoryFile, store: ["--database-url", url])
        var standby = try BenchBus(program: program, directoryFile: directoryFile, store: ["--database-url", url])
        do {
            try await active.start(waitingFor: BenchBus.activeLine)
            try await standby.start(waitingFor: BenchBus.standbyLine)
            var result = Result(
                leaseTimeout: BusConfiguration().leaseTimeout, killSeconds: [], killAbandoned: 0,
                killRefused: 0, pauseSeconds: nil, pauseAbandoned: 0)
            let endpoints = [active.endpoints.request, standby.endpoints.request]
            for round in 0..<kills {
                logger.info("bench scenario", metadata: ["bench.scenario": "takeover after kill -9, \(round + 1)"])
                let outcome = try await takeover(
                    of: active, signal: SIGKILL, endpoints: endpoints, prefix: "kill-\(round)-", limit: 30)
                result.killSeconds.append(outcome.seconds)
                result.killAbandoned += outcome.abandoned
                result.killRefused += outcome.refused
                try await standby.waitFor(BenchBus.activeLine, limit: 10)
                try await active.kill()
                try await active.start(waitingFor: BenchBus.standbyLine)
                swap(&active, &standby)
            }
            logger.info("bench scenario", metadata: ["bench.scenario": "takeover after SIGSTOP"])
            do {
                let paused = try await takeover(
                    of: active, signal: SIGSTOP, endpoints: endpoints, prefix: "pause-", limit: pauseLimit)
                (result.pauseSeconds, result.pauseAbandoned) = (paused.seconds, paused.abandoned)
            } catch let error as BenchError {
                // A finding, not a failure of the benchmark: say what the standby saw.
                let warning = standby.recentLog.split(separator: "\n").last { $0.contains(" warning ") }
                result.pauseFailure = "\(error.description); the standby's last warning: \(warning ?? "none")"
            }
            try await active.kill()
            try await standby.stop()
            return result
        } catch {
            let logs = "active bus:\n\(active.recentLog)\nstandby bus:\n\(standby.recentLog)"
            try? await active.kill()
            try? await standby.kill()
            throw BenchError("\(error)\n\(logs)")
        }
    }

    /// Probes the group, signals the active bus once the probe has had replies, and waits for the
    /// first successful reply after the signal.
    private static func takeover(
        of bus: BenchBus, signal: Int32, endpoints: [String], prefix: String, limit: Double
    ) async throws -> TakeoverProbe.Outcome {
        let context = try Context()
        let control = TakeoverProbe.Control()
        let pid = bus.processIdentifier
        async let probe = SocketLoop.run(name: "bench-takeover", onCancel: { control.cancel() }) {
            try TakeoverProbe.run(
                context: context, endpoints: endpoints, prefix: prefix, control: control, limit: limit)
        }
        // A few hundred milliseconds of requests first, so that the signal lands mid-traffic.
        let start = MonotonicClock.now()
        while control.successes < 20 || MonotonicClock.seconds(from: start, to: MonotonicClock.now()) < 0.3 {
            guard MonotonicClock.seconds(from: start, to: MonotonicClock.now()) < 30 else {
                control.cancel()
                _ = try? await probe
                throw BenchError("the active bus answered no request within 30 s")
            }
            try await Task.sleep(for: .milliseconds(5))
        }
        control.markSignalled()
        kill(pid, signal)
        return try await probe
    }
}
