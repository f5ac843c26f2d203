import CallsLoad

extension GroupResults {
    /// The group section of the report.
    var markdown: String {
        var text = "## Several buses on one PostgreSQL (issue #13)\n\n"
        if let notMeasured {
            return text
                + "**Not measured**: \(notMeasured). `make bench` starts a temporary PostgreSQL server for them.\n\n"
        }
        if let stores { text += storesMarkdown(stores) }
        if let takeover { text += takeoverMarkdown(takeover) }
        text += """
            Events through one `calls-proxy` to 100 subscribers beside direct subscription: see \
            “Bus: events to 100 subscribers, direct and through the proxy” below.


            """
        return text
    }

    private func storesMarkdown(_ stores: StoreComparisonBenchmark.Result) -> String {
        var table = MarkdownTable(
            headers: [
                "operation", "load", "SQLite req/s", "PostgreSQL req/s", "req/s ratio", "SQLite p50 / p99 µs",
                "PostgreSQL p50 / p99 µs", "p50 ratio", "refused",
            ],
            numericColumns: [2, 3, 4, 5, 6, 7, 8])
        for comparison in stores.comparisons {
            let (sqlite, postgres) = (comparison.sqlite, comparison.postgres)
            table.add(
                "`\(comparison.operation)`", comparison.sqlite.shape.name, String(count: sqlite.requestsPerSecond),
                String(count: postgres.requestsPerSecond), String(format2: comparison.throughputRatio),
                "\(String(format1: sqlite.latency.p50Microseconds)) / \(String(format1: sqlite.latency.p99Microseconds))",
                "\(String(format1: postgres.latency.p50Microseconds)) / "
                    + String(format1: postgres.latency.p99Microseconds),
                String(format2: comparison.p50Ratio), "\(sqlite.refused + postgres.refused)")
        }
        return """
            ### `calls.get` and `telephony.event`: PostgreSQL beside SQLite

            The release `calls-bus` program on a SQLite file (`synchronous = FULL`) and the same program \
            on a fresh database of the PostgreSQL server at \(postgresServer ?? "?") (`synchronous_commit = on`, \
            fsync on; alone in its group, so active), each given \(String(count: stores.seededCalls)) calls \
            through `telephony.event` first, then loaded alike from this process in \(stores.slices) \
            alternating slice(s) per load. `calls.get` is answered from memory on both; each \
            `telephony.event` batch is committed to the store before its replies. Ratios are \
            PostgreSQL ÷ SQLite.

            \(table.rendered)

            """
    }

    private func takeoverMarkdown(_ takeover: TakeoverBenchmark.Result) -> String {
        let (fastest, median, slowest) = takeover.killSummary
        let seconds = { (value: Double) in String(value, decimals: 3) }
        var table = MarkdownTable(
            headers: ["takeover", "runs", "min s", "median s", "max s", "requests given up", "refused"],
            numericColumns: [1, 2, 3, 4, 5, 6])
        table.add(
            "after `kill -9` of the active bus", "\(takeover.killSeconds.count)", seconds(fastest), seconds(median),
            seconds(slowest), "\(takeover.killAbandoned)", "\(takeover.killRefused)")
        let pause = takeover.pauseSeconds.map(seconds) ?? "none within \(Int(TakeoverBenchmark.pauseLimit)) s"
        table.add(
            "after `SIGSTOP` of the active bus (lease expiry)", "1", pause, pause, pause,
            "\(takeover.pauseAbandoned)", "–")
        return """
            ### Takeover in a group of two

            Two release `calls-bus` programs on one fresh database with the default `--lease-timeout` \
            (\(String(format1: takeover.leaseTimeout)) s). A client (one DEALER connected to both request \
            endpoints with `ZMQ_IMMEDIATE`, sending `telephony.event` in lockstep, giving a request up after \
            50 ms without reply, doubling) runs while the active bus is killed; the time runs from the \
            signal to the first successful reply to a request sent after it, which only the other bus can \
            give. The killed bus is then started again as the standby, and the next kill hits the other \
            one. A killed bus's lease connection dies with it, which frees the lease at once; a paused bus \
            (`SIGSTOP`) keeps its connection, so the standby waits for the lease to expire.

            All takeovers after `kill -9` (s): \(takeover.killSeconds.map(seconds).joined(separator: ", ")).

            \(table.rendered)
            \(takeover.pauseFailure.map { "\n**No takeover after `SIGSTOP`**: \($0)\n" } ?? "")

            """
    }
}
