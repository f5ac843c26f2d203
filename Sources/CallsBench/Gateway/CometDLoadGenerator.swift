import CallsLoad
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// Many CometD sessions and one SSE stream against the gateway, on SwiftNIO event loops of this
/// process, each session one keep-alive connection.
///
/// It watches itself: a probe on every event loop measures how late a 20 ms timer fires, so a
/// generator too busy to read replies promptly shows in the report instead of passing for a slow
/// gateway.
final class CometDLoadGenerator: Sendable {
    /// One principal's session to open.
    struct User: Sendable {
        /// The principal id.
        var id: String
        /// Whether it subscribes to everything.
        var isSupervisor: Bool
    }

    private let group: MultiThreadedEventLoopGroup
    private let port: Int
    private let password: String
    private let channels = Mutex<[any Channel]>([])
    private let latenessSamples = Mutex<[UInt64]>([])
    private let probes = Mutex<[RepeatedTask]>([])
    /// The run's end, shared by every session.
    let stopSwitch = CometDStopSwitch()

    private static let probePeriod: Int64 = 20_000_000

    /// - Parameters:
    ///   - port: the gateway's port on 127.0.0.1.
    ///   - password: every principal's password.
    ///   - threads: event loops.
    init(port: Int, password: String, threads: Int) {
        self.port = port
        self.password = password
        group = MultiThreadedEventLoopGroup(numberOfThreads: threads)
        for loop in group.makeIterator() {
            let last = LastFire()
            let task = loop.scheduleRepeatedTask(
                initialDelay: .nanoseconds(Self.probePeriod), delay: .nanoseconds(Self.probePeriod)
            ) { [self] _ in
                let now = MonotonicClock.now()
                let late = (now &- last.time.exchange(now, ordering: .relaxed)) &- UInt64(Self.probePeriod)
                latenessSamples.withLock { $0.append(late > UInt64.max / 2 ? 0 : late) }
            }
            probes.withLock { $0.append(task) }
        }
    }

    /// Opens one session per user, at most `concurrency` being set up at once.
    /// - Returns: every session's log; one that could not be set up is marked lost.
    func openSessions(_ users: [User], concurrency: Int, setupLimit: Int64) async -> [CometDSessionLog] {
        let logs = users.map { CometDSessionLog(user: $0.id, isSupervisor: $0.isSupervisor) }
        await withTaskGroup(of: Void.self) { tasks in
            for (index, log) in logs.enumerated() {
                if index >= concurrency { await tasks.next() }
                tasks.addTask { await self.open(log, setupLimit: setupLimit) }
            }
        }
        return logs
    }

    private func open(_ log: CometDSessionLog, setupLimit: Int64) async {
        let loop = group.next()
        let ready = loop.makePromise(of: Void.self)
        let (authorization, stopSwitch) = (basic(log.user), stopSwitch)
        let channel: any Channel
        do {
            channel = try await ClientBootstrap(group: loop)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHTTPClientHandlers()
                        try channel.pipeline.syncOperations.addHandler(
                            CometDSessionHandler(
                                log: log, authorization: authorization, ready: ready, stopSwitch: stopSwitch,
                                setupLimit: .seconds(setupLimit)))
                    }
                }
                .connect(host: "127.0.0.1", port: port).get()
        } catch {
            log.lose("cannot connect: \(error)")
            ready.fail(error)
            return
        }
        channels.withLock { $0.append(channel) }
        _ = try? await ready.futureResult.get()
    }

    /// Opens the SSE stream as `user` and waits for its response head (5 s at most).
    /// - Throws: ``CallsLoad/BenchError`` when the gateway does not answer 200.
    func openEventStream(as user: String) async throws -> EventStreamLog {
        let log = EventStreamLog()
        let (authorization, stopSwitch) = (basic(user), stopSwitch)
        let channel = try await ClientBootstrap(group: group)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    try channel.pipeline.syncOperations.addHandler(
                        EventStreamReader(log: log, authorization: authorization, stopSwitch: stopSwitch))
                }
            }
            .connect(host: "127.0.0.1", port: port).get()
        channels.withLock { $0.append(channel) }
        let giveUp = MonotonicClock.now() + MonotonicClock.nanoseconds(5)
        while log.state.withLock({ $0.status == 0 && $0.lost == nil }) && MonotonicClock.now() < giveUp {
            try await Task.sleep(for: .milliseconds(10))
        }
        let (status, lost) = log.state.withLock { ($0.status, $0.lost) }
        guard status == 200 else { throw BenchError("the event stream answered \(status) \(lost ?? "")") }
        return log
    }

    /// Forgets how late the probes were so far: the next ``lateness()`` covers from now.
    func resetLateness() { latenessSamples.withLock { $0.removeAll() } }

    /// How late the 20 ms probe timers fired since the last reset, in nanoseconds.
    func lateness() -> LatencySummary { LatencySummary(nanoseconds: latenessSamples.withLock { $0 }) }

    /// Ends every session and stream (no more connects, connections closed) and the event loops.
    func shutdown() async {
        stopSwitch.stop()
        for probe in probes.withLock({ $0 }) { probe.cancel() }
        let open = channels.withLock { $0 }
        for channel in open { try? await channel.close() }
        try? await group.shutdownGracefully()
    }

    private func basic(_ user: String) -> String {
        "Basic " + Data("\(user):\(password)".utf8).base64EncodedString()
    }
}

/// When a probe timer last fired.
private final class LastFire: Sendable {
    let time = Atomic<UInt64>(MonotonicClock.now())
}
