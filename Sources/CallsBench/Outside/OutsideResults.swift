import CallsLoad
import Foundation
import Logging
import ZMQ

/// `calls.get` measured from outside, as a deployment sees it: the release `calls-bus` program on a
/// state file of 10,000 calls, beside a raw libzmq ROUTER program, both loaded by the C load
/// generator from processes of their own, in alternating slices of the same run.
struct OutsideResults: Sendable, Encodable {
    /// The programs run; `nil` when none were given.
    var tools: OutsideTools?
    /// Why nothing was measured (a program is missing); `nil` when measured.
    var notMeasured: String?
    /// Both servers, per load shape.
    var requests: RequestBenchmark.Result?
    /// From starting `calls-bus` to its `bus started` line (its sockets bound), in seconds.
    var busStartSeconds: Double?

    /// The goals of the outside measurement: the bus close to a raw libzmq server.
    static let requestGoals = RequestBenchmark.Goals(p50Ratio: 1.10, lockstepShare: 0.9, pipelinedShare: 0.75)
    /// How the goals name the two servers.
    static let goalSubject = "bus process / raw server, outside"

    /// Seeds a state file, starts the bus and the raw server as programs, and loads both.
    /// - Throws: ``CallsLoad/BenchError`` when a program fails or the bus does not answer; a missing
    ///   program is not an error (the report says so).
    static func measure(settings: BenchSettings, tools: OutsideTools?, logger: Logger) async throws -> OutsideResults {
        guard let tools else { return OutsideResults(notMeasured: "no programs given") }
        var results = OutsideResults(tools: tools)
        let missing = [tools.bus, tools.loadGenerator, tools.rawRouter].filter {
            !FileManager.default.isExecutableFile(atPath: $0)
        }
        guard missing.isEmpty else {
            results.notMeasured = "missing \(missing.joined(separator: ", ")) (`make bench-outside` builds them)"
            logger.warning("the outside benchmark is not measured", metadata: ["bench.missing": "\(missing)"])
            return results
        }
        logger.info("bench scenario", metadata: ["bench.scenario": "outside: seeding the bus's state file"])
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let ids = (0..<settings.outsideCalls).map(BenchFixtures.preloadedCallId)
        try StateSeeder.write(
            ids.enumerated().map { BenchFixtures.establishedCall(id: $1, index: $0) }, to: scratch.file("state.sqlite"))
        try Data(BenchFixtures.directoryFile).write(to: URL(fileURLWithPath: scratch.file("directory.json")))
        let source = RequestSource.randomGets(of: ids, user: BenchFixtures.admin)
        let lines = (0..<max(10_000, ids.count)).map { String(decoding: source.frame(0, $0), as: UTF8.self) }
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: scratch.file("requests")))

        let start = MonotonicClock.now()
        let bus = try ChildProcess(
            tools.bus,
            [
                "--directory", scratch.file("directory.json"), "--state", scratch.file("state.sqlite"),
                "--request-endpoint", "tcp://127.0.0.1:0", "--events-endpoint", "tcp://127.0.0.1:0",
                "--log-level", "info",
            ])
        let busEndpoint = try await bus.waitFor("its request endpoint", limit: 60) { _, errors in
            errors.firstWord(after: "bus.rep.endpoint=")
        }
        results.busStartSeconds = MonotonicClock.seconds(from: start, to: MonotonicClock.now())
        let reply = try await RequestBenchmark.sampleReply(
            context: try Context(), endpoint: busEndpoint, id: ids[0], user: BenchFixtures.admin)
        try Data(reply).write(to: URL(fileURLWithPath: scratch.file("reply")))
        // It stops by itself after this long, should this process die without stopping it.
        let lifetime = Int(settings.scenarioSeconds * 4 + 300)
        let raw = try ChildProcess(tools.rawRouter, ["--reply", scratch.file("reply"), "--max-seconds", "\(lifetime)"])
        let rawEndpoint = try await raw.waitFor("its endpoint", limit: 30) { output, _ in
            output.contains("\n") ? output.split(separator: "\n").first.map(String.init) : nil
        }
        let comparisons = try await RequestBenchmark.compare(
            baseline: rawEndpoint, service: busEndpoint, seconds: settings.scenarioSeconds,
            maxRequests: settings.maxRequestsPerShape, logger: logger
        ) { shape, endpoint, seconds, maxRequests in
            try await LoadProcess.run(
                tools.loadGenerator, shape: shape, endpoint: endpoint, requests: scratch.file("requests"),
                seconds: seconds, maxRequests: maxRequests, folder: scratch)
        }
        _ = try await raw.stop()
        let status = try await bus.stop()
        guard status == 0 else {
            throw BenchError("calls-bus exited with status \(status): \(bus.errors.suffix(2_000))")
        }
        results.requests = RequestBenchmark.Result(calls: ids.count, replyBytes: reply.count, comparisons: comparisons)
        return results
    }

    /// The outside goals; one failed goal when nothing was measured.
    var goals: [GoalCheck] {
        guard let requests else {
            let goals = Self.requestGoals
            return [
                GoalCheck(
                    name: "calls.get, \(Self.goalSubject)", measured: "not measured",
                    target: "p50 ≤ \(String(format2: goals.p50Ratio)), req/s ≥ \(String(percent: goals.lockstepShare)) "
                        + "and ≥ \(String(percent: goals.pipelinedShare))", isMet: false)
            ]
        }
        return RequestBenchmark.goals(of: requests, Self.requestGoals, subject: Self.goalSubject)
    }
}

extension String {
    /// The characters after the first `marker` up to the next space or line end, when any.
    func firstWord(after marker: String) -> String? {
        guard let range = range(of: marker) else { return nil }
        let word = self[range.upperBound...].prefix { !$0.isWhitespace }
        guard !word.isEmpty, self[range.upperBound...].contains(where: \.isNewline) else { return nil }
        return String(word)
    }
}
