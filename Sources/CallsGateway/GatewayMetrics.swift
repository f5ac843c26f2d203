import Hummingbird
import Prometheus

/// The gateway's Prometheus metrics: requests by route and status, latencies, bus round trips, SSE clients.
final class GatewayMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()
    private let busRoundTrip: DurationHistogram
    private let streamClients: Gauge
    private static let buckets: [Duration] = [
        .microseconds(250), .microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5),
        .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250),
        .milliseconds(500), .seconds(1), .seconds(2.5),
    ]

    init() {
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
        registry.makeCounter(
            descriptor: .init(
                metricName: "calls_gateway_http_requests", unitName: "total",
                helpText: "HTTP requests by route and status."),
            labels: [("route", route), ("status", String(status))]
        ).increment()
        registry.makeDurationHistogram(
            descriptor: .init(
                metricName: "calls_gateway_http_request_duration", unitName: "seconds",
                helpText: "HTTP request latency."),
            labels: [("route", route)],
            buckets: Self.buckets
        ).record(ContinuousClock.now - start)
    }

    func recordBusRoundTrip(since start: ContinuousClock.Instant) {
        busRoundTrip.record(ContinuousClock.now - start)
    }

    func streamOpened() { streamClients.increment() }

    func streamClosed() { streamClients.decrement() }

    /// The Prometheus text exposition.
    func exposition() -> [UInt8] { registry.emitToBuffer() }
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
