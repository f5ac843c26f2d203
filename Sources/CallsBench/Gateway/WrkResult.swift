import CallsLoad
import Foundation

/// What one `wrk --latency` run printed: throughput, the latency distribution and the errors.
struct WrkResult: Sendable, Encodable {
    /// Requests completed.
    var requests: Int
    /// `Requests/sec:`.
    var requestsPerSecond: Double
    /// The latency distribution's 50th percentile, in microseconds.
    var p50Microseconds: Double
    /// The 75th percentile.
    var p75Microseconds: Double
    /// The 90th percentile.
    var p90Microseconds: Double
    /// The 99th percentile.
    var p99Microseconds: Double
    /// The largest latency of the thread statistics.
    var maxMicroseconds: Double
    /// `Non-2xx or 3xx responses:`.
    var non2xxResponses: Int
    /// `Socket errors:` (connect, read, write and timeout together).
    var socketErrors: Int

    /// Whether every request succeeded: the figures mean something.
    var isClean: Bool { non2xxResponses == 0 && socketErrors == 0 && requests > 0 }

    /// Parses wrk's report.
    /// - Throws: ``BenchError`` quoting the output when `Requests/sec` or a percentile is missing.
    init(output: String) throws {
        var percentiles: [String: Double] = [:]
        var (requests, requestsPerSecond, max, non2xx, socketErrors): (Int?, Double?, Double, Int, Int) = (
            nil, nil, 0, 0, 0
        )
        for line in output.split(separator: "\n").map({ $0.trimmingCharacters(in: .whitespaces) }) {
            let words = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
            guard let first = words.first else { continue }
            switch first {
            case "50%", "75%", "90%", "99%":
                percentiles[first] = words.count > 1 ? Self.microseconds(words[1]) : nil
            case "Latency" where words.count >= 4:
                max = Self.microseconds(words[3]) ?? 0
            case "Requests/sec:":
                requestsPerSecond = words.count > 1 ? Double(words[1]) : nil
            case "Non-2xx":
                non2xx = Int(words.last ?? "") ?? 0
            case "Socket":
                socketErrors = words.compactMap { Int($0.trimmingCharacters(in: [","])) }.reduce(0, +)
            default:
                if words.count > 2, words[1] == "requests", words[2] == "in" { requests = Int(first) }
            }
        }
        guard let requests, let requestsPerSecond, let p50 = percentiles["50%"], let p75 = percentiles["75%"],
            let p90 = percentiles["90%"], let p99 = percentiles["99%"]
        else {
            throw BenchError("wrk's output has no throughput or latency distribution:\n\(output)")
        }
        self.requests = requests
        self.requestsPerSecond = requestsPerSecond
        (p50Microseconds, p75Microseconds, p90Microseconds, p99Microseconds) = (p50, p75, p90, p99)
        maxMicroseconds = max
        non2xxResponses = non2xx
        self.socketErrors = socketErrors
    }

    /// Several runs against the same server as one: their requests add up over their summed time,
    /// each percentile is the median of the runs' (wrk prints no histogram to merge), the maximum
    /// is the largest, the errors add up.
    /// - Parameter slices: at least one run.
    init(slices: [WrkResult]) {
        func median(_ figure: KeyPath<WrkResult, Double>) -> Double {
            let sorted = slices.map { $0[keyPath: figure] }.sorted()
            return sorted.count % 2 == 1
                ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
        }
        requests = slices.reduce(0) { $0 + $1.requests }
        let seconds = slices.reduce(0.0) {
            $0 + ($1.requestsPerSecond > 0 ? Double($1.requests) / $1.requestsPerSecond : 0)
        }
        requestsPerSecond = seconds > 0 ? Double(requests) / seconds : 0
        (p50Microseconds, p75Microseconds) = (median(\.p50Microseconds), median(\.p75Microseconds))
        (p90Microseconds, p99Microseconds) = (median(\.p90Microseconds), median(\.p99Microseconds))
        maxMicroseconds = slices.map(\.maxMicroseconds).max() ?? 0
        non2xxResponses = slices.reduce(0) { $0 + $1.non2xxResponses }
        socketErrors = slices.reduce(0) { $0 + $1.socketErrors }
    }

    /// `812.00us`, `1.23ms` or `2.01s` in microseconds.
    private static func microseconds(_ text: String) -> Double? {
        for (unit, scale) in [("us", 1.0), ("ms", 1_000.0), ("s", 1_000_000.0)] where text.hasSuffix(unit) {
            // wrk prints two decimals: keep them, without binary noise from the scaling.
            return Double(text.dropLast(unit.count)).map { ($0 * scale * 100).rounded() / 100 }
        }
        return nil
    }
}
