extension RequestBenchmark.Result {
    /// The comparison as a Markdown table (per load: the baseline's row, the bus's, then bus ÷
    /// baseline), followed by a warning for any load that saw refusals or timeouts.
    /// - Parameters:
    ///   - baselineName: what the baseline rows are called (`baseline`, `raw server`).
    ///   - serviceName: what the bus rows are called (`service`, `bus under test`).
    package func markdownTable(baselineName: String, serviceName: String) -> String {
        var table = MarkdownTable(
            headers: ["load", "server", "requests", "req/s", "p50 µs", "p90 µs", "p99 µs", "max µs"],
            numericColumns: [2, 3, 4, 5, 6, 7])
        for comparison in comparisons {
            table.rows.append([comparison.shape.name, baselineName] + comparison.baseline.countAndLatencyCells)
            table.rows.append(["", serviceName] + comparison.service.countAndLatencyCells)
            table.add(
                "", "*\(serviceName) / \(baselineName)*", "", "**\(String(percent: comparison.throughputRatio))**",
                "**\(String(format2: comparison.p50Ratio))×**", "", "", "")
        }
        return table.rendered + LoadResult.failureNotes(comparisons.flatMap { [$0.baseline, $0.service] })
    }
}
