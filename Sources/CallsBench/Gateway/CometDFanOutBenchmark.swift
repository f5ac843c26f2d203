import Calls
import CallsBusService
import CallsLoad
import Foundation
import Glibc
import HummingbirdBcrypt
import Logging
import Synchronization
import ZMQ

/// One size of the CometD fan-out: the release `calls-bus` and `calls-gateway` as programs, N
/// sessions held against the gateway (one per agent, plus about 2% supervisors subscribed to
/// everything) and one SSE stream beside them, while a switch adapter reports telephony events at
/// a fixed rate through the bus.
enum CometDFanOutBenchmark {
    /// Every principal's password; its bcrypt hash has cost 4, the least bcrypt allows.
    static let password = "bench-password"
    /// CometD sessions being handshaken and subscribed at once: each handshake is its user's first
    /// request, so one bcrypt, and the gateway admits 9 at once (1 bcrypt thread, 8 waiting) before
    /// it answers 503.
    static let setupConcurrency = 8

    /// Measures `sessions` sessions at `rate` events per second for `seconds`.
    /// - Throws: ``CallsLoad/BenchError`` when a program fails to start, the bus never publishes or
    ///   the SSE stream is refused; lost sessions are not an error (the report counts them).
    static func measure(
        sessions total: Int, rate: Double, seconds: Double, programs: OutsideTools, logger: Logger
    ) async throws -> CometDFanOutResult {
        let supervisors = max(1, total / 50)
        let agents = total - supervisors
        raiseFileLimit(to: total * 2 + 1_000)
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let hash = Bcrypt.hash(password, cost: 4)
        try Data(directoryFile(agents: agents, supervisors: supervisors, hash: hash))
            .write(to: URL(fileURLWithPath: scratch.file("directory.json")))
        logger.info("bench scenario", metadata: ["bench.scenario": "cometd fan-out, \(total) sessions: starting"])
        let bus = try ChildProcess(
            programs.bus,
            [
                "--directory", scratch.file("directory.json"), "--state", scratch.file("state.sqlite"),
                "--request-endpoint", "tcp://127.0.0.1:0", "--events-endpoint", "tcp://127.0.0.1:0",
                "--log-level", "info",
            ])
        let endpoints = try await bus.waitFor("its endpoints", limit: 60) { _, errors in
            errors.firstWord(after: "bus.rep.endpoint=").flatMap { request in
                errors.firstWord(after: "bus.pub.endpoint=").map { BusEndpoints(request: request, events: $0) }
            }
        }
        let port = try LoopbackPort.free()
        let gateway = try ChildProcess(
            programs.gateway,
            [
                "--directory", scratch.file("directory.json"), "--listen", "127.0.0.1:\(port)",
                "--request-endpoint", endpoints.request, "--events-endpoint", endpoints.events,
                "--cometd-max-sessions", "\(max(10_000, total + 100))", "--log-level", "warning",
            ])
        try await waitForHealth(port: port, gateway: gateway)
        let context = try Context()
        let recorder = FanOutBusTraffic.Recorder()
        _ = try await recorder.start(context: context, endpoints: endpoints, maxSeconds: seconds + 300)
        let generator = CometDLoadGenerator(port: port, password: password, threads: 2)
        var result = CometDFanOutResult(
            sessions: total, supervisors: supervisors, targetRate: rate, windowSeconds: seconds)
        do {
            let stream = try await generator.openEventStream(as: supervisorId(0))
            try await Task.sleep(for: .milliseconds(500))
            let before = try ProcessSample.take(gateway.processIdentifier)
            let users =
                (0..<agents).map { CometDLoadGenerator.User(id: BenchFixtures.agentId($0), isSupervisor: false) }
                + (0..<supervisors).map { CometDLoadGenerator.User(id: supervisorId($0), isSupervisor: true) }
            let setupStart = MonotonicClock.now()
            let logs = await generator.openSessions(users, concurrency: setupConcurrency, setupLimit: 60)
            result.setupSeconds = MonotonicClock.seconds(from: setupStart, to: MonotonicClock.now())
            try await Task.sleep(for: .seconds(1))
            let idle = try ProcessSample.take(gateway.processIdentifier)
            result.note(before: before, idle: idle)
            logger.info(
                "bench scenario", metadata: ["bench.scenario": "cometd fan-out, \(total) sessions: \(rate) events/s"])
            let start = try (ProcessSample.take(gateway.processIdentifier), ProcessSample.take(bus.processIdentifier))
            let generatorStart = try ProcessSample.take()
            generator.resetLateness()
            result.sent = try await FanOutBusTraffic.drive(
                context: context, endpoint: endpoints.request, rate: rate, seconds: seconds, agents: agents,
                run: "\(total)")
            let end = try (ProcessSample.take(gateway.processIdentifier), ProcessSample.take(bus.processIdentifier))
            result.generatorCPUPercent = try ProcessSample.take().cpuPercent(since: generatorStart)
            result.generatorLateness = generator.lateness()
            result.gatewayCPUPercent = end.0.cpuPercent(since: start.0)
            result.busCPUPercent = end.1.cpuPercent(since: start.1)
            result.gatewayEndBytes = end.0.residentBytes
            try await waitForDelivery(logs, stream, recorder: recorder, limit: 3)
            result.count(logs, stream: stream, published: recorder.snapshot)
        } catch {
            await generator.shutdown()
            await recorder.stop()
            throw error
        }
        await generator.shutdown()
        await recorder.stop()
        _ = try await gateway.stop()
        _ = try await bus.stop()
        return result
    }

    /// The id of supervisor `index`: a `ContactCenterAdmin`, who sees every call.
    static func supervisorId(_ index: Int) -> String { "supervisor-\(index)" }

    /// Waits until every session and the stream got as many events as were published, or `limit`
    /// seconds pass: what is still missing then counts as lost.
    private static func waitForDelivery(
        _ logs: [CometDSessionLog], _ stream: EventStreamLog, recorder: FanOutBusTraffic.Recorder, limit: Double
    ) async throws {
        let giveUp = MonotonicClock.now() + MonotonicClock.nanoseconds(limit)
        while MonotonicClock.now() < giveUp {
            try await Task.sleep(for: .milliseconds(100))
            let published = recorder.snapshot
            var expected: [String: Int] = [:]
            for owner in published.owners.values { expected[owner, default: 0] += 1 }
            let all = published.times.count
            guard stream.state.withLock({ $0.seqs.count }) >= all else { continue }
            let behind = logs.contains { log in
                let received = log.state.withLock { $0.lost == nil ? $0.seqs.count : Int.max }
                return received < (log.isSupervisor ? all : expected[log.user] ?? 0)
            }
            if !behind { return }
        }
    }

    /// `GET /healthz` until it answers 200 (the gateway listens and reaches the bus), 30 s at most.
    private static func waitForHealth(port: Int, gateway: ChildProcess) async throws {
        let giveUp = MonotonicClock.now() + MonotonicClock.nanoseconds(30)
        while MonotonicClock.now() < giveUp {
            if let reply = try? await HTTPProbe.get(port: port, path: "/healthz"), reply.status == 200 { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw BenchError("calls-gateway never answered /healthz within 30 s; stderr:\n\(gateway.errors.suffix(2_000))")
    }

    /// The directory: `agents` agents with one device each, `supervisors` admins and the switch, all
    /// with `hash` as their password hash.
    private static func directoryFile(agents: Int, supervisors: Int, hash: String) -> Data {
        var principals = (0..<agents).map { index in
            #"{"id":"\#(BenchFixtures.agentId(index))","role":"Agent","devices":["\#(BenchFixtures.deviceId(index))"],"#
                + #""passwordHash":"\#(hash)"}"#
        }
        principals += (0..<supervisors).map {
            #"{"id":"\#(supervisorId($0))","role":"ContactCenterAdmin","passwordHash":"\#(hash)"}"#
        }
        principals.append(#"{"id":"\#(BenchFixtures.telephony)","role":"Telephony","passwordHash":"\#(hash)"}"#)
        return Data(#"{"principals":[\#(principals.joined(separator: ","))]}"#.utf8)
    }

    /// Raises this process's open-file limit (inherited by the programs it starts) to `wanted`, or
    /// to the hard limit when that is lower.
    private static func raiseFileLimit(to wanted: Int) {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0, limit.rlim_cur < rlim_t(wanted) else { return }
        limit.rlim_cur = min(rlim_t(wanted), limit.rlim_max)
        _ = setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
    }
}
