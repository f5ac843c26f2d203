import CallsLoad
import Glibc
import Synchronization
import ZMQ

/// The client of a takeover: one DEALER connected to both buses of a group with `ZMQ_IMMEDIATE`
/// (a request goes only to a bus that accepted the connection, so never to the standby, which is
/// not bound), sending `telephony.event` requests in lockstep, each creating a call, so that a
/// successful reply means the bus committed it.
///
/// A request that gets no reply within a short, growing wait is given up with its socket (the
/// killed bus took it along) and a fresh socket sends the next one. The takeover time runs from
/// the moment the scenario signals the active bus (``Control/markSignalled()``) to the first
/// successful reply to a request sent after it: only the other bus can give that one.
enum TakeoverProbe {
    /// Shared between the scenario and the probe's thread.
    final class Control: Sendable {
        private let signalledAt = Atomic<UInt64>(0)
        private let successCount = Atomic<Int>(0)
        private let cancelled = Atomic<Bool>(false)

        /// Creates a control: not signalled, nothing received.
        init() {}

        /// Successful replies so far.
        var successes: Int { successCount.load(ordering: .relaxed) }

        /// Records now as the moment the active bus was signalled; call just before signalling it.
        func markSignalled() { signalledAt.store(MonotonicClock.now(), ordering: .sequentiallyConsistent) }

        /// Makes the probe return early.
        func cancel() { cancelled.store(true, ordering: .relaxed) }

        fileprivate var signalled: UInt64 { signalledAt.load(ordering: .sequentiallyConsistent) }
        fileprivate var isCancelled: Bool { cancelled.load(ordering: .relaxed) }
        fileprivate func succeeded() { successCount.add(1, ordering: .relaxed) }
    }

    /// One takeover as the client saw it.
    struct Outcome: Sendable {
        /// From the signal to the first successful reply to a request sent after it, in seconds.
        var seconds: Double
        /// Requests given up (no reply in time) once the signal was sent, the one in flight at the
        /// signal included.
        var abandoned: Int
        /// Replies with a non-zero `statusCode` after the signal (a bus standing down, "try again").
        var refused: Int
    }

    private static let successPrefix = Array(#"{"statusCode":0"#.utf8)

    /// Probes until a successful reply after the signal, or `limit` seconds after it.
    /// - Parameter prefix: the call ids' prefix, unique to this takeover.
    /// - Throws: ``CallsLoad/BenchError`` when no bus answers within `limit` seconds of the signal
    ///   (or of the start, when the signal never comes); ``ZMQ/ZMQError``.
    static func run(
        context: Context, endpoints: [String], prefix: String, control: Control, limit: Double
    ) throws -> Outcome {
        let source = RequestSource.newCalls(prefix: prefix)
        let start = MonotonicClock.now()
        var socket = try open(context: context, endpoints: endpoints)
        defer { socket.close() }
        var (sent, abandoned, refused) = (0, 0, 0)
        var wait = 50
        while !control.isCancelled {
            let signalled = control.signalled
            let since = signalled == 0 ? start : signalled
            guard MonotonicClock.seconds(from: since, to: MonotonicClock.now()) < limit else {
                throw BenchError("no bus answered within \(Int(limit)) s" + (signalled == 0 ? "" : " of the signal"))
            }
            let sendTime = MonotonicClock.now()
            guard try socket.trySend(multipart: [[UInt8](), source.frame(0, sent)]) else {
                // No bus connected yet (the standby is not bound): try again in a moment.
                usleep(1_000)
                continue
            }
            sent += 1
            guard let reply = try socket.receiveMultipart(timeout: .milliseconds(wait)) else {
                socket.close()
                socket = try open(context: context, endpoints: endpoints)
                if control.signalled > 0 { abandoned += 1 }
                wait = min(wait * 2, 1_000)
                continue
            }
            wait = 50
            let isSuccess =
                reply.count == 2 && reply[0].count == 0 && reply[1].withUnsafeBytes { $0.starts(with: successPrefix) }
            guard isSuccess else {
                if control.signalled > 0 { refused += 1 }
                usleep(1_000)
                continue
            }
            control.succeeded()
            if signalled > 0 && sendTime >= signalled {
                return Outcome(
                    seconds: MonotonicClock.seconds(from: signalled, to: MonotonicClock.now()), abandoned: abandoned,
                    refused: refused)
            }
        }
        throw BenchError("the takeover probe was cancelled")
    }

    private static func open(context: Context, endpoints: [String]) throws -> Socket {
        let socket = try Socket(.dealer, context: context, linger: .zero)
        try socket.set(.immediate, true)
        try socket.set(.reconnectInterval, .milliseconds(10))
        try socket.set(.reconnectIntervalMax, .milliseconds(100))
        for endpoint in endpoints { try socket.connect(endpoint) }
        return socket
    }
}
