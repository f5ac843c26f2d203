import CallsCometD
import Hummingbird
import Prometheus
import Synchronization

/// The gateway's Prometheus metrics: requests by route and status, latencies, bus round trips, SSE clients.
final class GatewayMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()
    private let busRoundTrip: DurationHistogram
    private let streamClients: Gauge
    private let cometD: CometDServer?
    private let cometDSessions: Gauge
    private let cometDQueued: Gauge
    private let cometDEnded: [String: Counter]
    /// The CometD counts last reported, so each scrape adds only what happened since.
    private let cometDReported = Mutex(CometDStatistics())
    private let loginRefusals = Mutex<[String: Counter]>([:])
    private let streamRefusals = Mutex<[String: Counter]>([:])
    /// Collectors per label set, made once: the registry's own lookup builds names and takes a
    /// lock on every call, which showed in the gateway's per-request cost.
    private let requestCounters = Mutex<[String: Counter]>([:])
    private let requestDurations = Mutex<[String: DurationHistogram]>([:])
    private static let buckets: [Duration] = [
        .microseconds(250), .microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5),
        .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250),
        .milliseconds(500), .seconds(1), .seconds(2.5),
    ]

    init(cometD: CometDServer? = nil) {
        self.cometD = cometD
        cometDSessions = registry.makeGauge(
            descriptor: .init(
                metricName: "calls_gateway_cometd_sessions", unitName: "", helpText: "Open CometD sessions."),
            labels: [])
        cometDQueued = registry.makeGauge(
            descriptor: .init(
                metricName: "calls_gateway_cometd_queued_messages", unitName: "",
                helpText: "Messages held by CometD sessions."),
            labels: [])
        var ended: [String: Counter] = [:]
        for reason in ["expired", "overflowed", "refused"] {
            ended[reason] = registry.makeCounter(
                descriptor: .init(
                    metricName: "calls_gateway_cometd_sessions_ended", unitName: "total",
                    helpText: "CometD sessions expired or overflowed, and handshakes refused at a cap."),
                labels: [("reason", reason)])
        }
        cometDEnded = ended
        busRoundTrip = registry.makeDurationHistogram(
            descriptor: .init(
                metricName: "calls_gateway_bus_round_trip", unitName: "seconds", helpText: "Bus request round trips."),
            labels: [],
            buckets: Self.buckets
        )
        streamClients = registry.makeGauge(
            descriptor: .init(
                metricName: "calls_gateway_event_stream_clients", unitName: "", helpText: "Open SSE streams."),
            labels: []
        )
    }

    func recordRequest(route: String, status: Int, since start: ContinuousClock.Instant) {
        let counter = requestCounters.withLock { counters in
            let key = "\(route) \(status)"
            if let counter = counters[key] { return counter }
            let counter = registry.makeCounter(
                descriptor: .init(
                    metricName: "calls_gateway_http_requests", unitName: "total",
                    helpText: "HTTP requests by route and status."),
                labels: [("route", route), ("status", String(status))]
            )
            counters[key] = counter
            return counter
        }
        counter.increment()
        let histogram = requestDurations.withLock { histograms in
            if let histogram = histograms[route] { return histogram }
            let histogram = registry.makeDurationHistogram(
                descriptor: .init(
                    metricName: "calls_gateway_http_request_duration", unitName: "seconds",
                    helpText: "HTTP request latency."),
                labels: [("route", route)],
                buckets: Self.buckets
            )
            histograms[route] = histogram
            return histogram
        }
        histogram.record(ContinuousClock.now - start)
    }

    func recordBusRoundTrip(since start: ContinuousClock.Instant) {
        busRoundTrip.record(ContinuousClock.now - start)
    }

    func streamOpened() { streamClients.increment() }

    /// Counts a login refused without checking its password: `throttled` (the address is locked
    /// out after failed logins) or `saturated` (every bcrypt thread busy, the queue full).
    func loginRefused(reason: String) {
        counter(
            in: loginRefusals, reason: reason, name: "calls_gateway_login_refusals", help: "Logins refused unchecked."
        )
        .increment()
    }

    /// Counts an event stream refused: `user` (the user's cap, 429) or `total` (the cap in all, 503).
    func streamRefused(reason: String) {
        counter(
            in: streamRefusals, reason: reason, name: "calls_gateway_event_stream_refusals",
            help: "Event streams refused at a cap."
        ).increment()
    }

    private func counter(in counters: borrowing Mutex<[String: Counter]>, reason: String, name: String, help: String)
        -> Counter
    {
        counters.withLock { counters in
            if let counter = counters[reason] { return counter }
            let counter = registry.makeCounter(
                descriptor: .init(metricName: name, unitName: "total", helpText: help),
                labels: [("reason", reason)]
            )
            counters[reason] = counter
            return counter
        }
    }

    func streamClosed() { streamClients.decrement() }

    /// The Prometheus text exposition.
    func exposition() -> [UInt8] {
        recordCometD()
        return registry.emitToBuffer()
    }

    /// Reads the CometD counts into the gauges, and adds to the counters what changed since the last scrape.
    private func recordCometD() {
        guard let statistics = cometD?.statistics else { return }
        cometDSessions.set(Double(statistics.sessions))
        cometDQueued.set(Double(statistics.queuedMessages))
        let last = cometDReported.withLock { reported in
            defer { reported = statistics }
            return reported
        }
        cometDEnded["expired"]?.increment(by: Int64(max(0, statistics.expiries - last.expiries)))
        cometDEnded["overflowed"]?.increment(by: Int64(max(0, statistics.overflows - last.overflows)))
        cometDEnded["refused"]?.increment(by: Int64(max(0, statistics.refusals - last.refusals)))
    }
}

/// Counts every request by its route pattern and status.
struct MetricsMiddleware: RouterMiddleware {
    typealias Context = GatewayRequestContext

    let metrics: GatewayMetrics

    func handle(
        _ request: Request,
        context: GatewayRequestContext,
        next: (Request, GatewayRequestContext) async throws -> Response
    ) async throws -> Response {
        let start = ContinuousClock.now
        do {
            let response = try await next(request, context)
            metrics.recordRequest(
                route: context.endpointPath ?? "unmatched", status: response.status.code, since: start)
            return response
        } catch {
            let status = (error as? any HTTPResponseError)?.status.code ?? 500
            metrics.recordRequest(route: context.endpointPath ?? "unmatched", status: status, since: start)
            throw error
        }
    }
}
