import CallsLoad

extension OutsideResults {
    /// The outside section of the report.
    var markdown: String {
        var text = "## Bus from outside: `calls.get` on the `calls-bus` program beside a raw libzmq server\n\n"
        guard let requests else {
            return text + "Not measured: \(notMeasured ?? "no result").\n\n"
        }
        text += """
            What a client of a deployed bus sees. Every party is a program of its own, all on \
            `tcp://127.0.0.1` (ephemeral ports), sharing the machine's processors. **Bus**: the `calls-bus` executable \
            (`\(busProgram)`) on a state file of \(String(count: requests.calls)) established calls \
            (its `bus started` line came \(String(format2: busStartSeconds ?? 0)) s after it was started), answering \
            `calls.get` for random ids as the admin. **Raw server**: `calls-zmq-raw-router` \
            (`Tests/bench`, C on plain libzmq), a ROUTER that receives each request and sends back the \
            same \(requests.replyBytes)-byte frame, a real `calls.get` reply, and does nothing else. \
            **Load**: `calls-zmq-load` (`Tests/bench`, C on plain libzmq), started afresh for each slice: \
            one thread and DEALER per client sending the REQ-style empty delimiter, 20 unmeasured requests \
            each, then every round trip recorded. \(RequestBenchmark.slices) alternating slices per load \
            (raw server, bus, raw server…), so that other work on the machine weighs on both alike. The \
            in-process sections below break the bus's time down.


            """
        return text + requests.markdownTable(baselineName: "raw server", serviceName: "bus") + "\n"
    }

    /// The bus program's folder and name (`release/calls-bus`): which build was measured.
    private var busProgram: String {
        (tools?.bus.split(separator: "/").suffix(2).joined(separator: "/")).map { "…/" + $0 } ?? "calls-bus"
    }
}
