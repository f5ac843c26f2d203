extension LatencySummary {
    /// Samples, then p50, p90, p99 and max in µs: the cells of one row of a latency table.
    package var cells: [String] {
        [
            String(count: count), String(format1: p50Microseconds), String(format1: p90Microseconds),
            String(format1: p99Microseconds), String(format1: maxMicroseconds),
        ]
    }
}
