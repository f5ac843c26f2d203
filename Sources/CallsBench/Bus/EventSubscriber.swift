import CallsBusService
import CallsLoad
import Synchronization
import ZMQ

/// A subscriber to every call event (`calls/`) that keeps up: it reads only each body's `seq`, and
/// counts events missing from the sequence. Runs on a thread of its own.
///
/// It handles the slow joiner itself: it reports warm-up calls through its own DEALER until the
/// event of one arrives, and only then tells the scenario (through ``Control/ready``) to start.
enum EventSubscriber {
    /// How the scenario and the subscriber's thread talk.
    final class Control: Sendable {
        /// Settled with the `seq` of the last warm-up event once the subscription is in place.
        let ready = ReadySignal<UInt64>()
        private let expected = Atomic<Int>(-1)
        private let expectedAt = Atomic<UInt64>(0)
        private let isCancelled = Atomic<Bool>(false)

        /// Tells the subscriber how many events to wait for; it stops once they arrived, or 3 s later.
        func expect(_ count: Int) {
            expectedAt.store(MonotonicClock.now(), ordering: .relaxed)
            expected.store(count, ordering: .releasing)
        }

        /// Stops the subscriber at its next look.
        func cancel() { isCancelled.store(true, ordering: .relaxed) }

        /// Whether to stop, given how many events arrived.
        func shouldStop(received: Int, now: UInt64) -> Bool {
            if isCancelled.load(ordering: .relaxed) { return true }
            let count = expected.load(ordering: .acquiring)
            guard count >= 0 else { return false }
            return received >= count || now &- expectedAt.load(ordering: .relaxed) > 3_000_000_000
        }

        fileprivate var cancelled: Bool { isCancelled.load(ordering: .relaxed) }
    }

    /// What the subscriber saw after the warm-up.
    struct Outcome: Sendable {
        /// The `seq` of the last warm-up event; measured events follow it.
        var warmUpSeq: UInt64
        /// Measured events received.
        var received = 0
        /// The highest `seq` received.
        var lastSeq: UInt64 = 0
        /// `seq` numbers skipped between received events.
        var skipped: UInt64 = 0
        /// Events whose `seq` was not above the previous one.
        var outOfOrder = 0
        /// When the last event arrived.
        var lastReceive: UInt64 = 0
        /// For events whose call id is `<markPrefix><n>`: each `n`, and when it arrived.
        var markedIndexes: [Int] = []
        /// Arrival times matching ``markedIndexes``.
        var markedTimes: [UInt64] = []
    }

    private static let seqPrefix = Array(#"{"seq":"#.utf8)

    /// Subscribes, warms up, then counts events until `control` says stop or `maxSeconds` pass.
    /// - Parameter markPrefix: record arrival times of calls whose id starts with it.
    /// - Throws: ``BenchError`` when no warm-up event arrives; ``ZMQ/ZMQError``.
    static func run(
        context: Context, endpoints: BusEndpoints, control: Control, markPrefix: String?, maxSeconds: Double
    ) throws -> Outcome {
        let subscriber = try Socket(.subscriber, context: context, linger: .zero)
        // The subscriber must not be what drops events: its queue holds any burst of a run.
        try subscriber.set(.receiveHighWaterMark, 4_000_000)
        try subscriber.set(.subscribe, "calls/")
        try subscriber.connect(endpoints.events)
        var outcome = Outcome(warmUpSeq: try warmUp(subscriber, context: context, endpoint: endpoints.request, control))
        control.ready.resolve(.success(outcome.warmUpSeq))
        let deadline = MonotonicClock.now() + MonotonicClock.nanoseconds(maxSeconds)
        var now = MonotonicClock.now()
        while !control.shouldStop(received: outcome.received, now: now) && now < deadline {
            // Waiting (a poll) only when nothing is queued: a subscriber that keeps up reads a
            // burst without a system call per event.
            let frames = try subscriber.tryReceiveMultipart() ?? subscriber.receiveMultipart(timeout: .milliseconds(50))
            now = MonotonicClock.now()
            guard let frames, frames.count == 2, let seq = seq(of: frames[1]), seq > outcome.warmUpSeq else { continue }
            let expected = max(outcome.lastSeq, outcome.warmUpSeq) + 1
            if seq > expected { outcome.skipped += seq - expected }
            if seq < expected { outcome.outOfOrder += 1 }
            outcome.lastSeq = max(outcome.lastSeq, seq)
            outcome.received += 1
            outcome.lastReceive = now
            if let markPrefix, let index = index(in: frames[0].string, prefix: markPrefix) {
                outcome.markedIndexes.append(index)
                outcome.markedTimes.append(now)
            }
        }
        return outcome
    }

    /// Reports warm-up calls until the event of the one just reported arrives; returns its `seq`.
    static func warmUp(_ subscriber: Socket, context: Context, endpoint: String, _ control: Control) throws
        -> UInt64
    {
        let client = try Socket(.dealer, context: context, linger: .zero)
        try client.connect(endpoint)
        let session = SeedMixer.mix(MonotonicClock.now()) % 1_000_000
        for attempt in 0..<500 where !control.cancelled {
            let callId = "warmup-\(session)-\(attempt)"
            let event = #"{"type":"Ringing","callId":"\#(callId)","deviceId":"\#(BenchFixtures.unownedDevice)"}"#
            try client.send([UInt8](), hasMore: true)
            try client.send(#"{"op":"telephony.event","user":"\#(BenchFixtures.telephony)","event":\#(event)}"#)
            guard try client.receiveMultipart(timeout: .seconds(5)) != nil else {
                throw BenchError("no reply to a warm-up telephony event within 5 s")
            }
            // The event goes out before the reply, so once subscribed it is already on its way.
            let wait = MonotonicClock.now() + MonotonicClock.nanoseconds(attempt < 10 ? 0.02 : 0.1)
            while MonotonicClock.now() < wait {
                guard let frames = try subscriber.receiveMultipart(timeout: .milliseconds(10)) else { continue }
                if frames.count == 2, frames[0].string.hasSuffix("/" + callId), let seq = seq(of: frames[1]) {
                    return seq
                }
            }
        }
        throw BenchError("no warm-up event reached the subscriber after 500 attempts")
    }

    /// The `seq` at the start of an event body (`{"seq":N,...`), read without decoding the JSON.
    static func seq(of body: Message) -> UInt64? {
        body.withUnsafeBytes { bytes -> UInt64? in
            guard bytes.starts(with: seqPrefix) else { return nil }
            var value: UInt64 = 0
            var digits = 0
            for byte in bytes.dropFirst(seqPrefix.count) {
                guard byte >= 48 && byte <= 57 else { break }
                value = value * 10 + UInt64(byte - 48)
                digits += 1
            }
            return digits > 0 ? value : nil
        }
    }

    /// `n` from a topic `calls/<owner>/<prefix><n>`.
    private static func index(in topic: String, prefix: String) -> Int? {
        guard let slash = topic.lastIndex(of: "/") else { return nil }
        let callId = topic[topic.index(after: slash)...]
        guard callId.hasPrefix(prefix) else { return nil }
        return Int(callId.dropFirst(prefix.count))
    }
}
