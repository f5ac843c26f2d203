import CallsLoad
import Synchronization
import ZMQ

/// Many subscribers to every call event (`calls/`) on one thread: one SUB socket each, all
/// polled together, each event's arrival recorded per subscriber. The fan-out benchmark points
/// them at the bus's events socket, then at a `calls-proxy`.
enum FanOutSubscribers {
    /// How the scenario and the subscribers' thread talk.
    final class Control: Sendable {
        /// Settled once every subscriber has received a warm-up event.
        let ready = ReadySignal<Void>()
        private let expected = Atomic<Int>(-1)
        private let expectedAt = Atomic<UInt64>(0)
        private let isCancelled = Atomic<Bool>(false)

        /// Tells the subscribers how many events each should get; they stop once all came, or 3 s later.
        func expect(_ count: Int) {
            expectedAt.store(MonotonicClock.now(), ordering: .relaxed)
            expected.store(count, ordering: .releasing)
        }

        /// Stops the subscribers at their next look.
        func cancel() { isCancelled.store(true, ordering: .relaxed) }

        fileprivate var cancelled: Bool { isCancelled.load(ordering: .relaxed) }

        fileprivate func shouldStop(leastReceived: Int, now: UInt64) -> Bool {
            if cancelled { return true }
            let count = expected.load(ordering: .acquiring)
            guard count >= 0 else { return false }
            return leastReceived >= count || now &- expectedAt.load(ordering: .relaxed) > 3_000_000_000
        }
    }

    /// What each subscriber saw of the measured events: the call number of each, and when it arrived.
    struct Outcome: Sendable {
        var indexes: [[Int]]
        var times: [[UInt64]]
    }

    /// Connects `count` subscribers to `endpoint`, warms them all up, then records events whose call
    /// id starts with `prefix` until `control` says stop or `maxSeconds` pass.
    /// - Throws: ``CallsLoad/BenchError`` when a subscriber never hears a warm-up event; ``ZMQ/ZMQError``.
    static func run(
        context: Context, endpoint: String, requestEndpoint: String, count: Int, prefix: String, control: Control,
        maxSeconds: Double
    ) throws -> Outcome {
        var sockets: [Socket] = []
        let poller = Poller()
        for _ in 0..<count {
            let socket = try Socket(.subscriber, context: context, linger: .zero)
            // The subscribers must not be what drops events: each queue holds a whole run.
            try socket.set(.receiveHighWaterMark, 1_000_000)
            try socket.set(.subscribe, "calls/")
            try socket.connect(endpoint)
            poller.register(socket)
            sockets.append(socket)
        }
        try warmUp(sockets, poller: poller, context: context, requestEndpoint: requestEndpoint, control)
        control.ready.resolve(.success(()))
        var outcome = Outcome(indexes: Array(repeating: [], count: count), times: Array(repeating: [], count: count))
        let deadline = MonotonicClock.now() + MonotonicClock.nanoseconds(maxSeconds)
        var now = MonotonicClock.now()
        while !control.shouldStop(leastReceived: outcome.indexes.map(\.count).min() ?? 0, now: now), now < deadline {
            try poller.poll(timeout: .milliseconds(50))
            for (number, socket) in sockets.enumerated() where poller.isReadable(at: number) {
                while let frames = try socket.tryReceiveMultipart() {
                    now = MonotonicClock.now()
                    guard frames.count == 2, let index = index(in: frames[0].string, prefix: prefix) else { continue }
                    outcome.indexes[number].append(index)
                    outcome.times[number].append(now)
                }
            }
            now = MonotonicClock.now()
        }
        return outcome
    }

    /// Reports warm-up calls until every subscriber has heard one.
    private static func warmUp(
        _ sockets: [Socket], poller: Poller, context: Context, requestEndpoint: String, _ control: Control
    ) throws {
        let client = try Socket(.dealer, context: context, linger: .zero)
        try client.connect(requestEndpoint)
        var heard = Set<Int>()
        for attempt in 0..<500 where !control.cancelled {
            let event =
                #"{"type":"Ringing","callId":"fan-warmup-\#(attempt)","deviceId":"\#(BenchFixtures.unownedDevice)"}"#
            try client.send([UInt8](), hasMore: true)
            try client.send(#"{"op":"telephony.event","user":"\#(BenchFixtures.telephony)","event":\#(event)}"#)
            guard try client.receiveMultipart(timeout: .seconds(5)) != nil else {
                throw BenchError("no reply to a warm-up telephony event within 5 s")
            }
            try poller.poll(timeout: .milliseconds(attempt < 10 ? 20 : 100))
            for (number, socket) in sockets.enumerated() where poller.isReadable(at: number) {
                while try socket.tryReceiveMultipart() != nil { heard.insert(number) }
            }
            if heard.count == sockets.count { return }
        }
        throw BenchError("only \(heard.count) of \(sockets.count) subscribers heard a warm-up event")
    }

    /// `n` from a topic `calls/<owner>/<prefix><n>`.
    private static func index(in topic: String, prefix: String) -> Int? {
        guard let slash = topic.lastIndex(of: "/") else { return nil }
        let callId = topic[topic.index(after: slash)...]
        guard callId.hasPrefix(prefix) else { return nil }
        return Int(callId.dropFirst(prefix.count))
    }
}
