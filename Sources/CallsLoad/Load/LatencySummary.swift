/// Percentiles of a set of latencies, in microseconds.
package struct LatencySummary: Sendable, Encodable {
    /// How many latencies were recorded.
    package var count: Int
    /// The arithmetic mean.
    package var meanMicroseconds: Double
    /// The median.
    package var p50Microseconds: Double
    /// The 90th percentile.
    package var p90Microseconds: Double
    /// The 99th percentile.
    package var p99Microseconds: Double
    /// The largest.
    package var maxMicroseconds: Double

    /// Summarises latencies given in nanoseconds; all zero when there is none.
    package init(nanoseconds: [UInt64]) {
        let sorted = nanoseconds.sorted()
        count = sorted.count
        guard let last = sorted.last else {
            (meanMicroseconds, p50Microseconds, p90Microseconds, p99Microseconds, maxMicroseconds) = (0, 0, 0, 0, 0)
            return
        }
        // Summing as Double: a few million values of up to seconds would overflow nothing, but
        // UInt64 sums of nanoseconds could in pathological runs.
        meanMicroseconds = sorted.reduce(0.0) { $0 + Double($1) } / Double(sorted.count) / 1_000
        p50Microseconds = Self.percentile(0.50, of: sorted)
        p90Microseconds = Self.percentile(0.90, of: sorted)
        p99Microseconds = Self.percentile(0.99, of: sorted)
        maxMicroseconds = Double(last) / 1_000
    }

    /// The nearest-rank percentile `quantile` (0...1) of sorted nanoseconds, in microseconds.
    private static func percentile(_ quantile: Double, of sorted: [UInt64]) -> Double {
        let rank = Int((Double(sorted.count) * quantile).rounded(.up)) - 1
        return Double(sorted[min(max(rank, 0), sorted.count - 1)]) / 1_000
    }
}
