import CallsBusService
import CallsLoad
import Foundation
import Synchronization
import ZMQ

/// The bus side of the fan-out benchmark: a subscriber to every call event that notes when each
/// `seq` was published (its arrival on a direct SUB socket, the reference of every latency), and a
/// switch adapter that reports telephony events at a fixed rate.
enum FanOutBusTraffic {
    /// What the direct subscriber saw after its warm-up: for each event, its owner and when it came.
    struct Published: Sendable {
        /// The `seq` of the last warm-up event: measured events follow it.
        var warmUpSeq: UInt64 = 0
        /// Each event's owner (the topic's `<ownerId>`), by `seq`.
        var owners: [UInt64: String] = [:]
        /// When each event arrived on the SUB socket, by `seq`, `CLOCK_MONOTONIC` nanoseconds.
        var times: [UInt64: UInt64] = [:]
    }

    /// The subscriber's thread and what it recorded so far.
    final class Recorder: Sendable {
        private let control = EventSubscriber.Control()
        private let published = Mutex(Published())
        private let finished = ReadySignal<Void>()

        /// Subscribes to `calls/` on `endpoints.events` on a thread of its own and warms up (telephony
        /// events on a device nobody owns through `endpoints.request`) until its subscription is in place.
        /// - Returns: the `seq` of the last warm-up event.
        /// - Throws: ``CallsLoad/BenchError`` when no warm-up event arrives.
        func start(context: Context, endpoints: BusEndpoints, maxSeconds: Double) async throws -> UInt64 {
            let thread = Thread { [self] in
                do {
                    let subscriber = try Socket(.subscriber, context: context, linger: .zero)
                    try subscriber.set(.receiveHighWaterMark, 4_000_000)
                    try subscriber.set(.subscribe, "calls/")
                    try subscriber.connect(endpoints.events)
                    let control = self.control
                    let warmUpSeq = try EventSubscriber.warmUp(
                        subscriber, context: context, endpoint: endpoints.request, control)
                    self.published.withLock { $0.warmUpSeq = warmUpSeq }
                    control.ready.resolve(.success(warmUpSeq))
                    let deadline = MonotonicClock.now() + MonotonicClock.nanoseconds(maxSeconds)
                    while !control.shouldStop(received: 0, now: 0) && MonotonicClock.now() < deadline {
                        guard let frames = try subscriber.receiveMultipart(timeout: .milliseconds(50)) else { continue }
                        let now = MonotonicClock.now()
                        guard frames.count == 2, let seq = EventSubscriber.seq(of: frames[1]), seq > warmUpSeq else {
                            continue
                        }
                        let owner = frames[0].string.split(separator: "/", omittingEmptySubsequences: false)
                        self.published.withLock {
                            $0.owners[seq] = owner.count == 3 ? String(owner[1]) : ""
                            $0.times[seq] = now
                        }
                    }
                    self.finished.resolve(.success(()))
                } catch {
                    self.control.ready.resolve(.failure(error))
                    self.finished.resolve(.failure(error))
                }
            }
            thread.name = "bench-fanout-sub"
            thread.start()
            return try await control.ready.value()
        }

        /// What it recorded so far.
        var snapshot: Published { published.withLock { $0 } }

        /// Stops the thread and waits for it.
        func stop() async {
            control.cancel()
            _ = try? await finished.value()
        }
    }

    /// What the switch adapter sent.
    struct Sent: Sendable, Encodable {
        /// Events sent.
        var sent = 0
        /// Replies with `statusCode` 0.
        var accepted = 0
        /// Other replies.
        var refused = 0
        /// Seconds from the first event to the last.
        var seconds = 0.0
    }

    /// Reports `Ringing` then `Released` of call after call, at `rate` events per second for
    /// `seconds`, spread over `agents` (agent `k × 7919 mod agents` takes call `k`), on a thread of
    /// its own; then waits up to 2 s for the last replies.
    static func drive(
        context: Context, endpoint: String, rate: Double, seconds: Double, agents: Int, run: String
    ) async throws -> Sent {
        try await SocketLoop.run(name: "bench-fanout-switch") {
            let client = try Socket(.dealer, context: context, linger: .zero)
            try client.connect(endpoint)
            var sent = Sent()
            let count = Int(rate * seconds)
            let start = MonotonicClock.now()
            func readReplies(waitingUpTo timeout: Duration) throws {
                var frames = try client.tryReceiveMultipart()
                if frames == nil, timeout > .zero { frames = try client.receiveMultipart(timeout: timeout) }
                while let reply = frames {
                    if reply.last?.string == #"{"statusCode":0}"# { sent.accepted += 1 } else { sent.refused += 1 }
                    frames = try client.tryReceiveMultipart()
                }
            }
            for index in 0..<count {
                let due = start + UInt64(Double(index) / rate * 1e9)
                while case let now = MonotonicClock.now(), now < due {
                    try readReplies(waitingUpTo: .nanoseconds(Int64((due - now) / 2)))
                }
                let call = index / 2
                let device = BenchFixtures.deviceId(call &* 7919 % agents)
                let event =
                    index % 2 == 0
                    ? #"{"type":"Ringing","callId":"fan-\#(run)-\#(call)","deviceId":"\#(device)","#
                        + #""callType":"Inbound","participants":["+14155552671"],"ani":"+14155552671"}"#
                    : #"{"type":"Released","callId":"fan-\#(run)-\#(call)","deviceId":"\#(device)"}"#
                try client.send([UInt8](), hasMore: true)
                try client.send(#"{"op":"telephony.event","user":"\#(BenchFixtures.telephony)","event":\#(event)}"#)
                sent.sent += 1
            }
            sent.seconds = MonotonicClock.seconds(from: start, to: MonotonicClock.now())
            let giveUp = MonotonicClock.now() + MonotonicClock.nanoseconds(2)
            while sent.accepted + sent.refused < sent.sent && MonotonicClock.now() < giveUp {
                try readReplies(waitingUpTo: .milliseconds(10))
            }
            return sent
        }
    }
}
