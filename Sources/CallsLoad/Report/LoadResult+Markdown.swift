extension LoadResult {
    /// Requests, req/s, then p50, p90, p99 and max in µs: the cells of one row of a load table.
    package var countAndLatencyCells: [String] {
        [String(count: requests), String(count: requestsPerSecond)] + latency.cells.dropFirst()
    }

    /// A warning line for each load that saw refusals or timeouts, which make its figures meaningless.
    package static func failureNotes(_ results: [LoadResult]) -> String {
        let failed = results.filter { $0.refused > 0 || $0.timedOutClients > 0 }
        return failed.map {
            "\n**Warning**: \($0.shape.name): \($0.refused) refused replies, \($0.timedOutClients) clients timed out.\n"
        }.joined()
    }
}
