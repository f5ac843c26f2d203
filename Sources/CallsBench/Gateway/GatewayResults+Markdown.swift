import CallsLoad

extension GatewayResults {
    /// The gateway section of the report.
    var markdown: String {
        let title = "## Gateway: `GET /api/v2/me/calls/{id}` beside a bare Hummingbird route\n\n"
        guard let wrkVersion else {
            return title
                + "**Not measured**: `wrk` is not installed (Debian package `wrk`; `make bench` installs it).\n\n"
        }
        guard let ceiling, let gateway else { return title + "**Not measured.**\n\n" }
        let text = """
            Both servers listen on `127.0.0.1` (ephemeral ports) in this process, beside the bus service \
            they share the machine with. **Bare route**: a Hummingbird application whose one route \
            answers every request with the same \(replyBytes)-byte body, the gateway's own reply, with the \
            same content type: the HTTP ceiling. **Gateway**: `CallsGateway.application` in front of \
            `CallsBusService` (loopback TCP, one established call with a `+` participant), answering `GET \
            \(path)` as the admin with HTTP Basic (bcrypt cost 10, verified once and then remembered), \
            each request a `calls.get` round trip over the bus. Load: `wrk \(wrkVersion) -t\(load.threads) \
            -c\(load.connections) -d\(load.sliceSeconds)s --latency` (keep-alive connections), after a 1 s \
            warm-up of each, \(load.slices) run\(load.slices == 1 ? "" : "s") per server alternating (bare \
            route, gateway, bare route…) so that other work on the machine weighs on both alike: req/s \
            over all runs, each percentile the median of the runs' (wrk prints no histogram to merge), \
            max the largest.


            """
        var table = MarkdownTable(
            headers: ["server", "requests", "req/s", "p50 ms", "p75 ms", "p90 ms", "p99 ms", "max ms", "errors"],
            numericColumns: [1, 2, 3, 4, 5, 6, 7, 8])
        for (name, result) in [("bare route", ceiling), ("gateway", gateway)] {
            table.rows.append([name] + cells(result))
        }
        table.add(
            "*gateway / bare route*", "", "**\(String(percent: throughputRatio ?? 0))**",
            "**\(ratio(\.p50Microseconds))×**", "", "", "**\(ratio(\.p99Microseconds))×**", "", "")
        let warnings = [("bare route", ceiling), ("gateway", gateway)].filter { !$0.1.isClean }.map {
            "\n**Warning**: \($0.0): \($0.1.non2xxResponses) non-2xx responses, \($0.1.socketErrors) socket "
                + "errors; its figures do not count.\n"
        }
        return title + text + table.rendered + warnings.joined() + "\n"
    }

    private func cells(_ result: WrkResult) -> [String] {
        [
            String(count: result.requests), String(count: result.requestsPerSecond),
            milliseconds(result.p50Microseconds), milliseconds(result.p75Microseconds),
            milliseconds(result.p90Microseconds), milliseconds(result.p99Microseconds),
            milliseconds(result.maxMicroseconds), String(count: result.non2xxResponses + result.socketErrors),
        ]
    }

    private func milliseconds(_ microseconds: Double) -> String {
        String(format2: microseconds / 1_000)
    }

    /// gateway ÷ bare route for one latency figure.
    private func ratio(_ figure: KeyPath<WrkResult, Double>) -> String {
        guard let ceiling, let gateway, ceiling[keyPath: figure] > 0 else { return "–" }
        return String(format2: gateway[keyPath: figure] / ceiling[keyPath: figure])
    }
}
