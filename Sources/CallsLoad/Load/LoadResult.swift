/// A load shape's result against one server: throughput and latency percentiles.
package struct LoadResult: Sendable, Encodable {
    /// The load.
    package var shape: LoadShape
    /// Requests answered while measuring.
    package var requests: Int
    /// Replies with a non-zero `statusCode`; 0 unless something is wrong.
    package var refused: Int
    /// Clients that gave up waiting for a reply.
    package var timedOutClients: Int
    /// From the common start to the last reply.
    package var seconds: Double
    /// `requests / seconds`.
    package var requestsPerSecond: Double
    /// Round trips of every request.
    package var latency: LatencySummary

    /// Merges what each client measured in one run.
    package init(shape: LoadShape, outcomes: [LoadClient.Outcome]) {
        self.init(shape: shape, runs: [outcomes])
    }

    /// Merges several runs of the same shape (slices alternating with another server's): their
    /// requests and measured times add up, their latencies are summarised together.
    package init(shape: LoadShape, runs: [[LoadClient.Outcome]]) {
        self.shape = shape
        let outcomes = runs.flatMap { $0 }
        requests = outcomes.reduce(0) { $0 + $1.latencies.count }
        refused = outcomes.reduce(0) { $0 + $1.refused }
        timedOutClients = outcomes.filter(\.timedOut).count
        seconds = runs.reduce(0) { total, run in
            let start = run.map(\.start).min() ?? 0
            let end = run.map(\.end).max() ?? start
            return total + MonotonicClock.seconds(from: start, to: max(start, end))
        }
        requestsPerSecond = seconds > 0 ? Double(requests) / seconds : 0
        latency = LatencySummary(nanoseconds: outcomes.flatMap(\.latencies))
    }
}
