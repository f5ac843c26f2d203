import CallsBusService
import CallsLoad
import Logging
import ZMQ

/// Events from telephony requests to a subscriber: how many per second arrive with no gap in
/// `seq`, and how long after its request an event arrives.
///
/// Every event comes from a `telephony.event` request, which the service applies, journals with
/// one fsync per batch, publishes, and only then answers: event rates are bounded by that path.
enum EventBenchmark {
    /// The publishing rate measured with pipelined senders.
    struct Throughput: Sendable, Encodable {
        /// The senders' load.
        var shape: LoadShape
        /// Events the service accepted.
        var accepted: Int
        /// Requests it refused; 0 unless the event stream is wrong.
        var refused: Int
        /// Events the subscriber received.
        var received: Int
        /// `seq` numbers the subscriber never saw: skipped, or missing at the end.
        var gaps: Int
        /// Events that arrived out of `seq` order.
        var outOfOrder: Int
        /// From the senders' start to the last event received.
        var seconds: Double
        /// `received / seconds`.
        var receivedPerSecond: Double
        /// Round trips of the telephony requests.
        var requestLatency: LatencySummary
    }

    /// Event latency against request round trip, one sender in lockstep.
    struct Latency: Sendable, Encodable {
        /// Events sent (each creates a call).
        var events: Int
        /// Events whose arrival was matched to their request.
        var matched: Int
        /// From sending the request to the subscriber receiving its event.
        var eventLatency: LatencySummary
        /// From sending the request to receiving its reply.
        var requestRoundTrip: LatencySummary
        /// event p99 ÷ round-trip p99.
        var p99Ratio: Double
    }

    /// The goal for received events per second, with no gap.
    static let rateGoal = 100_000.0
    /// The goal for event p99 ÷ request round-trip p99.
    static let latencyGoal = 2.0

    /// Four pipelined senders report Ringing/Established pairs as fast as the service takes them.
    static func throughput(endpoints: BusEndpoints, settings: BenchSettings) async throws -> Throughput {
        let shape = LoadShape(clients: 4, inFlight: 64)
        let (outcomes, subscriber) = try await withSubscriber(endpoints, markPrefix: nil, settings) { context in
            try await LoadRunner.run(
                shape, context: context, endpoint: endpoints.request, source: .ringAndAnswer(prefix: "tp-"),
                seconds: settings.scenarioSeconds, maxRequests: settings.maxPublishedEvents)
        }
        let load = LoadResult(shape: shape, outcomes: outcomes)
        let accepted = load.requests - load.refused
        let start = outcomes.map(\.start).min() ?? 0
        let seconds = MonotonicClock.seconds(from: start, to: max(start, subscriber.lastReceive))
        let unseenAtEnd = Int(subscriber.warmUpSeq) + accepted - Int(subscriber.lastSeq)
        return Throughput(
            shape: shape, accepted: accepted, refused: load.refused, received: subscriber.received,
            gaps: Int(subscriber.skipped) + max(0, unseenAtEnd), outOfOrder: subscriber.outOfOrder, seconds: seconds,
            receivedPerSecond: seconds > 0 ? Double(subscriber.received) / seconds : 0,
            requestLatency: load.latency)
    }

    /// One lockstep sender creates calls; each event is matched to its request by the call id.
    static func latency(endpoints: BusEndpoints, settings: BenchSettings) async throws -> Latency {
        let prefix = "lat-"
        let (outcomes, subscriber) = try await withSubscriber(endpoints, markPrefix: prefix, settings) { context in
            try await LoadRunner.run(
                LoadShape(clients: 1, inFlight: 1), context: context, endpoint: endpoints.request,
                source: .newCalls(prefix: prefix), seconds: settings.scenarioSeconds,
                maxRequests: settings.maxLatencyEvents, recordSendTimes: true)
        }
        let sender = outcomes[0]
        var latencies: [UInt64] = []
        for (index, arrival) in zip(subscriber.markedIndexes, subscriber.markedTimes)
        where index < sender.sendTimes.count {
            latencies.append(arrival &- sender.sendTimes[index])
        }
        let events = LatencySummary(nanoseconds: latencies)
        let roundTrips = LatencySummary(nanoseconds: sender.latencies)
        return Latency(
            events: sender.latencies.count, matched: latencies.count, eventLatency: events,
            requestRoundTrip: roundTrips, p99Ratio: events.p99Microseconds / roundTrips.p99Microseconds)
    }

    /// Runs a warmed-up subscriber on its own thread around `senders`, tells it how many events
    /// to expect once they are done, and returns both sides.
    private static func withSubscriber(
        _ endpoints: BusEndpoints, markPrefix: String?, _ settings: BenchSettings,
        senders: (Context) async throws -> [LoadClient.Outcome]
    ) async throws -> ([LoadClient.Outcome], EventSubscriber.Outcome) {
        let context = try Context()
        let control = EventSubscriber.Control()
        async let subscriber = SocketLoop.run(name: "bench-subscriber", onCancel: { control.cancel() }) {
            do {
                return try EventSubscriber.run(
                    context: context, endpoints: endpoints, control: control, markPrefix: markPrefix,
                    maxSeconds: settings.scenarioSeconds + 60)
            } catch {
                control.ready.resolve(.failure(error))
                throw error
            }
        }
        _ = try await control.ready.value()
        let outcomes: [LoadClient.Outcome]
        do {
            outcomes = try await senders(context)
        } catch {
            control.cancel()
            _ = try? await subscriber
            throw error
        }
        control.expect(outcomes.reduce(0) { $0 + $1.latencies.count - $1.refused })
        return (outcomes, try await subscriber)
    }

    /// The event goals: the publishing rate with no gap, and event p99 against round-trip p99.
    static func goals(throughput: Throughput, latency: Latency) -> [GoalCheck] {
        [
            GoalCheck(
                name: "events/s received with no seq gap (\(throughput.shape.name) senders)",
                measured: "\(String(count: throughput.receivedPerSecond)), \(throughput.gaps) gaps",
                target: "≥ \(String(count: rateGoal)), 0 gaps",
                isMet: throughput.receivedPerSecond >= rateGoal && throughput.gaps == 0),
            GoalCheck(
                name: "event p99 / telephony.event round-trip p99, 1 client",
                measured: String(format2: latency.p99Ratio), target: "< \(String(format1: latencyGoal))",
                isMet: latency.p99Ratio < latencyGoal),
        ]
    }
}
