import CallsLoad

extension FanOutBenchmark.Result {
    /// The fan-out section of the report.
    var markdown: String {
        var table = MarkdownTable(
            headers: [
                "subscribed", "subscribers", "events", "copies received", "missing", "copies/s", "delay p50 µs",
                "delay p99 µs",
            ],
            numericColumns: [1, 2, 3, 4, 5, 6, 7])
        for side in [direct, proxy] {
            table.add(
                side.path == "proxy" ? "through one `calls-proxy`" : "to the bus directly", "\(side.subscribers)",
                String(count: side.events), String(count: side.deliveries), String(count: side.missing),
                String(count: side.deliveriesPerSecond), String(format1: side.delay.p50Microseconds),
                String(format1: side.delay.p99Microseconds))
        }
        return """
            ## Bus: events to \(FanOutBenchmark.subscriberCount) subscribers, direct and through the proxy

            One sender creates calls (4 requests in flight); \(FanOutBenchmark.subscriberCount) SUB sockets \
            on one thread of the benchmark receive every event, first on the bus's events socket, then on \
            a `calls-proxy` (in process, loopback TCP) subscribed to it. The delay runs from sending the \
            request to each copy's arrival; the proxy adds one hop and takes the per-subscriber copying \
            off the bus.

            \(table.rendered)

            """
    }
}
