import CallsLoad
import Synchronization

/// What one size of the CometD fan-out measured.
struct CometDFanOutResult: Sendable, Encodable {
    /// Sessions opened: agents plus supervisors.
    var sessions: Int
    /// Of them, supervisors subscribed to `/v2/me/**`.
    var supervisors: Int
    /// Telephony events per second asked of the switch adapter.
    var targetRate: Double
    /// Seconds of events.
    var windowSeconds: Double
    /// Seconds to handshake and subscribe every session.
    var setupSeconds = 0.0
    /// Sessions alive and holding connects at the end.
    var sessionsHeld = 0
    /// Sessions that ended (a Bayeux error, a closed connection, a setup that failed).
    var sessionsLost = 0
    /// Sessions alive that received every event they should, each once.
    var sessionsComplete = 0
    /// Why sessions were lost, the commonest first (`count× reason`), at most three.
    var lostReasons: [String] = []
    /// What the switch adapter sent.
    var sent = FanOutBusTraffic.Sent()
    /// Events the direct subscriber saw published during the window.
    var eventsPublished = 0
    /// Deliveries the sessions should have received: each agent its own calls' events, each supervisor all.
    var deliveriesExpected = 0
    /// Distinct expected deliveries received.
    var deliveriesReceived = 0
    /// Deliveries received twice or more.
    var duplicates = 0
    /// Deliveries of events the session should not see, or that were not published in the window.
    var unexpected = 0
    /// Publish (direct SUB) to receipt by a CometD session.
    var cometd = LatencySummary(nanoseconds: [])
    /// Events received on the SSE stream (as a supervisor, who sees every call).
    var sseReceived = 0
    /// Publish to receipt on the SSE stream.
    var sse = LatencySummary(nanoseconds: [])
    /// Why the SSE stream ended early, if it did.
    var sseLost: String?
    /// The gateway's CPU over the event window, in percent of one core.
    var gatewayCPUPercent = 0.0
    /// The bus's CPU over the event window.
    var busCPUPercent = 0.0
    /// This process's (the load generator's, the switch adapter's and the subscriber's) CPU over the window.
    var generatorCPUPercent = 0.0
    /// How late the generator's 20 ms probe timers fired during the window.
    var generatorLateness = LatencySummary(nanoseconds: [])
    /// The gateway's resident memory before the sessions, with the stream open.
    var gatewayBeforeBytes = 0
    /// With every session idle (holding a connect), before any event.
    var gatewayIdleBytes = 0
    /// At the end of the window.
    var gatewayEndBytes = 0

    /// Resident memory per idle session: (idle − before) ÷ sessions held.
    var bytesPerIdleSession: Double {
        sessionsHeldIdle > 0 ? Double(gatewayIdleBytes - gatewayBeforeBytes) / Double(sessionsHeldIdle) : 0
    }
    /// Sessions holding connects when the idle memory was read.
    var sessionsHeldIdle = 0

    /// Whether the generator itself fell behind: its timers late by more than 50 ms at p99.
    var generatorSaturated: Bool { generatorLateness.p99Microseconds > 50_000 }

    /// Events per second the switch adapter achieved: the intervals between its first and last event.
    var achievedRate: Double { sent.seconds > 0 ? Double(sent.sent - 1) / sent.seconds : 0 }

    /// No session lost, every delivery made once, the stream whole, the rate reached.
    var isClean: Bool {
        sessionsLost == 0 && sessionsHeld == sessions && deliveriesReceived == deliveriesExpected && duplicates == 0
            && unexpected == 0 && sseLost == nil && sseReceived == eventsPublished
            && eventsPublished == sent.accepted && sent.refused == 0
    }

    /// Notes the memory before the sessions and with every session idle.
    mutating func note(before: ProcessSample, idle: ProcessSample) {
        gatewayBeforeBytes = before.residentBytes
        gatewayIdleBytes = idle.residentBytes
    }

    /// Compares what every session and the stream received with what the bus published.
    mutating func count(_ logs: [CometDSessionLog], stream: EventStreamLog, published: FanOutBusTraffic.Published) {
        eventsPublished = published.times.count
        var perOwner: [String: Int] = [:]
        for owner in published.owners.values { perOwner[owner, default: 0] += 1 }
        var latencies: [UInt64] = []
        var reasons: [String: Int] = [:]
        for log in logs {
            let state = log.state.withLock { $0 }
            if let lost = state.lost {
                sessionsLost += 1
                reasons[lost, default: 0] += 1
            }
            if state.isHolding { sessionsHeldIdle += 1 }
            if state.isHolding && state.lost == nil { sessionsHeld += 1 }
            let expected = log.isSupervisor ? eventsPublished : perOwner[log.user] ?? 0
            var seen = Set<UInt64>()
            for (seq, time) in zip(state.seqs, state.times) {
                guard let publishedAt = published.times[seq], log.isSupervisor || published.owners[seq] == log.user
                else {
                    unexpected += 1
                    continue
                }
                guard seen.insert(seq).inserted else {
                    duplicates += 1
                    continue
                }
                latencies.append(time > publishedAt ? time - publishedAt : 0)
            }
            deliveriesExpected += expected
            deliveriesReceived += seen.count
            if state.lost == nil && state.isHolding && seen.count == expected { sessionsComplete += 1 }
        }
        cometd = LatencySummary(nanoseconds: latencies)
        lostReasons = reasons.sorted { $0.value > $1.value }.prefix(3).map { "\($0.value)× \($0.key)" }
        let streamState = stream.state.withLock { $0 }
        sseLost = streamState.lost
        var streamSeen = Set<UInt64>()
        var streamLatencies: [UInt64] = []
        for (seq, time) in zip(streamState.seqs, streamState.times) {
            guard let publishedAt = published.times[seq], streamSeen.insert(seq).inserted else { continue }
            streamLatencies.append(time > publishedAt ? time - publishedAt : 0)
        }
        sseReceived = streamSeen.count
        sse = LatencySummary(nanoseconds: streamLatencies)
    }
}
