import CallsLoad

extension CallControlBenchmark.Result {
    /// The call-control section of the report.
    var markdown: String {
        var table = MarkdownTable(
            headers: ["load", "pair", "pairs", "pairs/s", "events/s", "p50 µs", "p90 µs", "p99 µs"],
            numericColumns: [2, 3, 4, 5, 6, 7])
        for shape in CallControlBenchmark.shapes {
            let rows = self.rows.filter { $0.shape == shape }
            for (index, row) in rows.enumerated() {
                table.add(
                    index == 0 ? shape.name : "", row.pair.name,
                    String(count: row.pairs) + (row.refused > 0 ? " (**\(row.refused) refused**)" : ""),
                    String(count: row.pairsPerSecond), String(count: row.eventsPerSecond),
                    String(format1: row.latency.p50Microseconds), String(format1: row.latency.p90Microseconds),
                    String(format1: row.latency.p99Microseconds))
            }
            if let single = rows.first(where: { !$0.pair.secondGoesToCreatedCall }),
                let transfer = rows.first(where: { $0.pair.secondGoesToCreatedCall }), single.pairsPerSecond > 0,
                single.eventsPerSecond > 0, single.latency.p50Microseconds > 0
            {
                table.add(
                    "", "*transfer / single-call*", "",
                    "**\(String(percent: transfer.pairsPerSecond / single.pairsPerSecond))**",
                    String(percent: transfer.eventsPerSecond / single.eventsPerSecond),
                    "**\(String(format2: transfer.latency.p50Microseconds / single.latency.p50Microseconds))×**", "", ""
                )
            }
        }
        return """
            ## Bus: call control, transfer pairs beside single-call pairs

            The real `CallsBusService` on a state file of \(String(count: calls)) established calls, driven over \
            loopback TCP by DEALER clients on threads of their own, as the admin. A **pair** is two \
            `calls.operate` requests, the second sent when the first is answered: `Hold` + `Retrieve` on \
            one call (one call changed twice: 2 events), or `InitiateTransfer` on an established call \
            and `CompleteTransfer` on the consult call whose id its reply `{"statusCode":0,"id":"…"}` \
            carries (the call held then released, the consult call created then released: 4 events). \
            Each transfer uses a fresh call. Every change is committed (fsync) before its reply, so a \
            pair is at least two commits long. \(CallControlBenchmark.slices) alternating slices per \
            pair and load (single-call, transfer, single-call, transfer); latency is the whole pair's.


            """ + table.rendered + "\n"
    }
}
