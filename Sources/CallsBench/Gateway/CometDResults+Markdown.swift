import CallsLoad

extension CometDResults {
    /// The CometD section of the report.
    var markdown: String {
        let title = "## Gateway: CometD notifications fan-out beside the SSE stream\n\n"
        if let notMeasured { return title + "**Not measured**: \(notMeasured).\n\n" }
        guard let first = runs.first else { return title + "**Not measured.**\n\n" }
        var text = """
            For each size N, a fresh release `calls-bus` and `calls-gateway` run as programs on loopback, \
            with a directory of N − N/50 agents (one device each) and N/50 supervisors \
            (`ContactCenterAdmin`, who see every call), every password a bcrypt hash of cost 4 (the \
            gateway verifies each user's once and then remembers it, so setup is not a bcrypt benchmark) \
            and `--cometd-max-sessions` raised above N. The load generator (SwiftNIO, 2 event loops, in \
            this process) opens one CometD session per principal, each on its own keep-alive connection, \
            \(CometDFanOutBenchmark.setupConcurrency) being set up at once: handshake, subscribe (agents \
            `/v2/me/calls` and `/v2/me/devices`, supervisors `/v2/me/**`), then one held `/meta/connect` \
            after another; and one SSE stream (`GET /api/v2/me/calls/events`) as a supervisor. Once every \
            session is idle, a switch adapter (a DEALER here) reports \(String(count: first.targetRate)) \
            telephony events/s for \(String(format1: first.windowSeconds)) s (`Ringing` then `Released`, \
            call after call, spread over the agents' devices), and a direct SUB on the bus notes when each \
            `seq` was published. **Latency** = a client's receipt (the HTTP response head of the connect \
            reply, or the SSE chunk) − that publish, one clock (this machine's `CLOCK_MONOTONIC`); every \
            delivery to every session counts. A session is **lost** when it gets a Bayeux error or its \
            connection closes; **complete** when alive and it received each event it should see (its own \
            calls', or all for a supervisor) exactly once, 3 s after the last event at most. **CPU** over \
            the event window in % of one core (`/proc/<pid>/stat`); **memory per idle session** = (gateway \
            RSS with every session holding a connect − RSS before the sessions) ÷ sessions. The generator \
            checks itself: its 20 ms timers' lateness at p99 above 50 ms marks it **saturated** (its \
            figures are then the generator's, not the gateway's).


            """
        var table = MarkdownTable(
            headers: [
                "sessions (supervisors)", "setup s", "events/s", "held", "lost", "complete",
                "deliveries received / expected", "CometD p50 ms", "CometD p99 ms", "SSE p50 ms", "SSE p99 ms",
                "SSE events", "gateway CPU", "bus CPU", "gateway RSS idle → end MB", "KB / idle session",
                "generator CPU, lateness p99",
            ],
            numericColumns: Set(1...16))
        for run in runs {
            table.rows.append([
                "\(String(count: run.sessions)) (\(run.supervisors))", String(format1: run.setupSeconds),
                String(format1: run.achievedRate), String(count: run.sessionsHeld), String(count: run.sessionsLost),
                String(count: run.sessionsComplete),
                "\(String(count: run.deliveriesReceived)) / \(String(count: run.deliveriesExpected))",
                Self.milliseconds(run.cometd.p50Microseconds), Self.milliseconds(run.cometd.p99Microseconds),
                Self.milliseconds(run.sse.p50Microseconds), Self.milliseconds(run.sse.p99Microseconds),
                "\(String(count: run.sseReceived)) / \(String(count: run.eventsPublished))",
                "\(String(format1: run.gatewayCPUPercent))%", "\(String(format1: run.busCPUPercent))%",
                "\(Self.megabytes(run.gatewayIdleBytes)) → \(Self.megabytes(run.gatewayEndBytes))",
                String(format1: run.bytesPerIdleSession / 1_024),
                "\(String(format1: run.generatorCPUPercent))%, \(Self.milliseconds(run.generatorLateness.p99Microseconds)) ms"
                    + (run.generatorSaturated ? " **saturated**" : ""),
            ])
        }
        text += table.rendered
        for run in runs where !run.isClean {
            text += "\n**\(String(count: run.sessions)) sessions**: "
            var notes: [String] = []
            if !run.lostReasons.isEmpty { notes.append("lost: " + run.lostReasons.joined(separator: "; ")) }
            if run.duplicates > 0 { notes.append("\(run.duplicates) duplicate deliveries") }
            if run.unexpected > 0 { notes.append("\(run.unexpected) deliveries of events not to be seen") }
            if let lost = run.sseLost { notes.append("the SSE stream ended: \(lost)") }
            if run.sent.refused > 0 || run.eventsPublished != run.sent.accepted {
                notes.append(
                    "\(run.sent.sent) events sent, \(run.sent.accepted) accepted, \(run.sent.refused) refused, "
                        + "\(run.eventsPublished) published")
            }
            if run.deliveriesReceived < run.deliveriesExpected {
                notes.append("\(run.deliveriesExpected - run.deliveriesReceived) deliveries missing")
            }
            text += notes.joined(separator: "; ") + ".\n"
        }
        return title + text + "\n"
    }

    private static func milliseconds(_ microseconds: Double) -> String { String(format2: microseconds / 1_000) }

    private static func megabytes(_ bytes: Int) -> String { String(format1: Double(bytes) / 1_048_576) }
}
