import CallsBusService
import CallsLoad
import CallsProxy
import Logging
import ServiceLifecycle
import ZMQ

/// Events to many subscribers, in one run: first subscribed to the bus's events socket directly,
/// then through one `calls-proxy` (the real `CallsProxyService`, in process, on loopback TCP).
///
/// One sender creates calls, a few in flight; each event's delay is from its request's send to its
/// arrival at each subscriber. Deliveries per second count every copy every subscriber received.
enum FanOutBenchmark {
    /// One way of subscribing, measured.
    struct Side: Sendable, Encodable {
        /// `direct` or `proxy`.
        var path: String
        /// Subscribers connected.
        var subscribers: Int
        /// Events published (accepted by the bus).
        var events: Int
        /// Copies received over all subscribers.
        var deliveries: Int
        /// Copies not received: `subscribers × events − deliveries`.
        var missing: Int
        /// From the first request sent to the last copy received.
        var seconds: Double
        /// `deliveries / seconds`.
        var deliveriesPerSecond: Double
        /// From sending an event's request to a subscriber receiving the event, over every copy.
        var delay: LatencySummary
    }

    /// Direct beside proxied.
    struct Result: Sendable, Encodable {
        var direct: Side
        var proxy: Side
    }

    /// Subscribers on each side.
    static let subscriberCount = 100

    /// Measures both sides against the running bus at `endpoints`.
    /// - Throws: ``CallsLoad/BenchError`` when subscribers never warm up; the proxy's error.
    static func run(endpoints: BusEndpoints, settings: BenchSettings, logger: Logger) async throws -> Result {
        let events = settings.isQuick ? 100 : 2_000
        let direct = try await side(
            "direct", events: events, endpoint: endpoints.events, endpoints: endpoints, settings: settings)
        var proxyLogger = logger
        proxyLogger.logLevel = .warning
        let proxy = try CallsProxyService(
            configuration: ProxyConfiguration(busEndpoints: [endpoints.events], endpoint: "tcp://127.0.0.1:0"),
            directory: nil, logger: proxyLogger)
        let group = ServiceGroup(configuration: .init(services: [proxy], logger: proxyLogger))
        let proxied = try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            do {
                let endpoint = try await proxy.endpoint()
                let side = try await side(
                    "proxy", events: events, endpoint: endpoint, endpoints: endpoints, settings: settings)
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
                return side
            } catch {
                await group.triggerGracefulShutdown()
                try? await tasks.waitForAll()
                throw error
            }
        }
        return Result(direct: direct, proxy: proxied)
    }

    private static func side(
        _ path: String, events: Int, endpoint: String, endpoints: BusEndpoints, settings: BenchSettings
    ) async throws -> Side {
        let prefix = "fan-\(path)-"
        let context = try Context()
        let control = FanOutSubscribers.Control()
        async let subscribers = SocketLoop.run(name: "bench-fan-out", onCancel: { control.cancel() }) {
            do {
                return try FanOutSubscribers.run(
                    context: context, endpoint: endpoint, requestEndpoint: endpoints.request, count: subscriberCount,
                    prefix: prefix, control: control, maxSeconds: settings.scenarioSeconds + 60)
            } catch {
                control.ready.resolve(.failure(error))
                throw error
            }
        }
        try await control.ready.value()
        let outcomes: [LoadClient.Outcome]
        do {
            outcomes = try await LoadRunner.run(
                LoadShape(clients: 1, inFlight: 4), context: context, endpoint: endpoints.request,
                source: .newCalls(prefix: prefix), seconds: settings.scenarioSeconds, maxRequests: events,
                recordSendTimes: true)
        } catch {
            control.cancel()
            _ = try? await subscribers
            throw error
        }
        let sender = outcomes[0]
        let accepted = sender.latencies.count - sender.refused
        control.expect(accepted)
        let received = try await subscribers
        var delays: [UInt64] = []
        var last: UInt64 = sender.start
        for (indexes, times) in zip(received.indexes, received.times) {
            for (index, time) in zip(indexes, times) where index < sender.sendTimes.count {
                delays.append(time &- sender.sendTimes[index])
                last = max(last, time)
            }
        }
        let seconds = MonotonicClock.seconds(from: sender.sendTimes.first ?? sender.start, to: last)
        return Side(
            path: path, subscribers: subscriberCount, events: accepted, deliveries: delays.count,
            missing: max(0, subscriberCount * accepted - delays.count), seconds: seconds,
            deliveriesPerSecond: seconds > 0 ? Double(delays.count) / seconds : 0,
            delay: LatencySummary(nanoseconds: delays))
    }
}
