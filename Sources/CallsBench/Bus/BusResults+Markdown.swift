import CallsLoad

extension BusResults {
    /// The bus section of the report.
    var markdown: String {
        requestsMarkdown + eventsMarkdown + fanOut.markdown + callControl.markdown + startupMarkdown
            + servicePathMarkdown
            + storeCommitMarkdown
    }

    private var storeCommitMarkdown: String {
        guard let commit = storeCommit else {
            return """
                ## Bus: commits on SQLite and PostgreSQL

                Not measured: run `calls-bench` with `--postgres-url` naming a PostgreSQL server (`make bench` starts one).


                """
        }
        var table = MarkdownTable(headers: ["store", "ms per batch of \(commit.batchSize)"], numericColumns: [1])
        table.add(
            "`CallStore.commit` (SQLite file in /tmp, `synchronous = FULL`)",
            String(format2: commit.sqliteMillisecondsPerBatch))
        table.add(
            "`PostgresCallStore.commit` (`synchronous_commit = on`, lease row `FOR SHARE`)",
            String(format2: commit.postgresMillisecondsPerBatch))
        table.add("*PostgreSQL over SQLite*", String(format2: commit.ratio))
        return """
            ## Bus: commits on SQLite and PostgreSQL

            The same \(commit.batches) batches of the real `BusCore` (Ringing/Established pairs) committed to a \
            state file and to \(commit.postgresLocation), one after the other, in one run.


            """ + table.rendered + "\n"
    }

    private var servicePathMarkdown: String {
        let path = servicePath
        var table = MarkdownTable(headers: ["step on the bus thread", "µs per request"], numericColumns: [1])
        table.add(
            "`calls.get`: `BusRequest(frame:)` alone (JSON decoding)", String(format2: path.getDecodeMicroseconds))
        table.add(
            "`calls.get`: `BusCore.serve` (decode, authorize, look up, splice the cached call JSON)",
            String(format2: path.getServeMicroseconds))
        table.add(
            "*`calls.get` per second one thread could answer, sockets aside*", String(count: path.getCeilingPerSecond))
        table.add(
            "`telephony.event`: `BusRequest(frame:)` + `TelephonyEvent(json:)` alone",
            String(format2: path.eventDecodeMicroseconds))
        table.add(
            "`telephony.event`: `BusCore.serve` (decode, apply, call JSON, event body, batch entry)",
            String(format2: path.eventServeMicroseconds))
        table.add(
            "`telephony.event`: `CallStore.commit` of the core's batch of \(path.batchSize), fsync included (ms per batch)",
            String(format2: path.commitMillisecondsPerBatch))
        table.add(
            "*events per second one thread could serve and commit, sockets aside*",
            String(count: path.eventCeilingPerSecond))
        table.add(
            "`BusCore.expireReleasedCalls(now:)` over \(String(count: path.expiryCalls)) live calls, run every second (ms)",
            String(format2: path.expiryScanMilliseconds))
        return """
            ## Bus: where the service's time goes

            The real `BusCore` (what the service's loop calls for every request) fed request frames on \
            one thread, no sockets, its batches committed to a state file in /tmp (`synchronous = FULL`), \
            Ringing/Established pairs as in the publishing run: what bounds the figures above.


            """ + table.rendered + "\n"
    }

    private var requestsMarkdown: String {
        let text = """
            ## Bus in-process: `calls.get`, the service beside a raw ROUTER baseline

            The breakdown behind the outside figures: here the service, the baseline and the clients \
            share one process, so the cost of the service's own work shows without process boundaries. \
            Both servers listen on `tcp://127.0.0.1` (ephemeral ports), each on a thread of its own, and \
            were measured with the same clients in three alternating slices per load (baseline, service, \
            baseline…), so that other work on the machine weighs on both alike. **Baseline**: a raw \
            ROUTER (our ZMQ layer: poll, then `tryReceiveMultipart` until empty) answering every request \
            at once with the same \(requests.replyBytes)-byte frame, a real `calls.get` reply. **Service**: \
            `CallsBusService` holding \(String(count: requests.calls)) established calls, answering \
            `calls.get` for random ids as the admin. Each client is a DEALER on its own thread that sends \
            the REQ-style empty delimiter; every latency is recorded.


            """
        return text + requests.markdownTable(baselineName: "baseline", serviceName: "service") + "\n"
    }

    private var eventsMarkdown: String {
        let rate = eventThroughput
        var text = """
            ## Bus: events

            One SUB subscriber to `calls/` on its own thread (receive high-water mark 4,000,000, reads \
            only each body's `seq`), warmed up past the slow joiner. Every event comes from a \
            `telephony.event` request, which the service applies, commits (one fsync per batch of up to \
            256 requests), publishes and only then answers, so events are bounded by the request path \
            and the fsync batching.


            """
        var table = MarkdownTable(headers: ["publishing", "value"], numericColumns: [1])
        table.add("senders (Ringing, then Established, per call)", rate.shape.name)
        table.add(
            "events accepted", String(count: rate.accepted) + (rate.refused > 0 ? " (**\(rate.refused) refused**)" : "")
        )
        table.add("events received", String(count: rate.received))
        table.add("`seq` gaps / out of order", "**\(rate.gaps)** / \(rate.outOfOrder)")
        table.add("events received per second", "**\(String(count: rate.receivedPerSecond))**")
        table.add(
            "telephony.event round trip, pipelined: p50 / p99 µs",
            "\(String(format1: rate.requestLatency.p50Microseconds)) / \(String(format1: rate.requestLatency.p99Microseconds))"
        )
        text += table.rendered + "\n"

        let latency = eventLatency
        text += """
            Latency, one client in lockstep: each request reports a new call (`Ringing`), and its event is \
            matched by call id (\(String(count: latency.matched)) of \(String(count: latency.events)) matched).


            """
        var latencies = MarkdownTable(
            headers: ["one client, lockstep", "samples", "p50 µs", "p90 µs", "p99 µs", "max µs"],
            numericColumns: [1, 2, 3, 4, 5])
        latencies.rows.append(
            ["telephony.event round trip (request to reply)"] + latency.requestRoundTrip.cells)
        latencies.rows.append(["telephony.event to subscriber (request to event)"] + latency.eventLatency.cells)
        if let get = requests.comparisons.first(where: { $0.shape.clients == 1 })?.service.latency {
            latencies.rows.append(["calls.get round trip (from the request scenario)"] + get.cells)
        }
        latencies.add("*event p99 / round-trip p99*", "", "", "", "**\(String(format2: latency.p99Ratio))**", "")
        return text + latencies.rendered + "\n"
    }

    private var startupMarkdown: String {
        var table = MarkdownTable(headers: ["startup", "value"], numericColumns: [1])
        table.add(
            "calls written to the state file (`CallStore.commit`, batches of 5,000)", String(count: startup.calls))
        table.add("writing them", "\(String(format2: startup.writeSeconds)) s")
        table.add("state file", "\(String(Double(startup.stateFileBytes) / 1_048_576, decimals: 1)) MiB")
        table.add("service `run()` to `endpoints()` returning", "**\(String(format2: startup.startupSeconds)) s**")
        let get = startup.getLatency
        table.add(
            "then `calls.get`, 1 client lockstep: req/s, p50 / p99 / max µs",
            "\(String(count: get.requestsPerSecond)), \(String(format1: get.latency.p50Microseconds)) / "
                + "\(String(format1: get.latency.p99Microseconds)) / \(String(format1: get.latency.maxMicroseconds))")
        return "## Bus: startup on a large state file\n\n" + table.rendered + LoadResult.failureNotes([get]) + "\n"
    }
}
