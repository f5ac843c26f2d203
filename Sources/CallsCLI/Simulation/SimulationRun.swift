import ArgumentParser
import CallsBusClient
import CallsBusMessages
import Foundation
import ServiceLifecycle

/// One `calls simulate` against the bus: check the bus answers, play the plan with live
/// progress, release what is still live if interrupted, and print a summary.
struct SimulationRun: Sendable {
    /// What to send.
    let plan: SimulationPlan
    /// What the plan was made from (for the summary).
    let settings: SimulationSettings
    /// The Telephony principal that reports switch events.
    let telephonyUser: String
    /// Whether to draw the one-line progress on stderr.
    let showsProgress: Bool

    /// Plays the plan to its end, or until SIGINT/SIGTERM.
    /// - Throws: the bus's refusal or ``BusUnavailableError`` when the first request fails; `ExitCode`
    ///   1 (refusals) or 3 (no answer) after the summary when some actions failed.
    func run(client: CallsBusClient) async throws {
        // A first request that changes nothing: a bus that is not there fails here, once, with exit 3.
        _ = try await client.send(BusRequest(operation: .listCalls, user: telephonyUser)).checked()
        Output.error(
            "calls: simulating \(plan.arrivals) arrivals (\(plan.callsCreated) calls, \(plan.actions.count) requests"
                + " over \(String(format: "%.1f", plan.length)) s) with \(settings.agents.count) agents,"
                + " seed \(settings.seed)")
        let tally = SimulationTally()
        let executor = SimulationExecutor(client: client, plan: plan, telephonyUser: telephonyUser, tally: tally)
        let start = ContinuousClock.now
        let completed = await withTaskGroup(of: Bool?.self) { group in
            group.addTask { await executor.run(from: start) }
            group.addTask {
                try? await gracefulShutdown()
                return nil
            }
            if showsProgress {
                let display = ProgressDisplay(tally: tally, length: plan.length)
                group.addTask {
                    await display.run(from: start)
                    return nil
                }
            }
            // The plan's end or a signal, whichever comes first, ends the other children.
            var completed = false
            while let result = await group.next() {
                if let result { completed = result }
                group.cancelAll()
            }
            return completed
        }
        if !completed {
            let released = await executor.windDown()
            Output.error("calls: interrupted; the switch released the \(released) calls still live")
        }
        let counts = tally.current
        summary(counts, seconds: (ContinuousClock.now - start).components.seconds)
        if counts.errorCount > 0 {
            Output.error("calls: \(counts.errorCount) requests failed")
            throw counts.errors["no answer"] != nil ? ExitStatus.unavailable : ExitStatus.refused
        }
    }

    private func summary(_ counts: SimulationTally.Counts, seconds: Int64) {
        let errors =
            counts.errors.isEmpty
            ? "none" : counts.errors.sorted { $0.key < $1.key }.map { "\($0.key) ×\($0.value)" }.joined(separator: ", ")
        var table = TextTable(header: ["simulation", "seed \(settings.seed), \(plan.arrivals) arrivals, \(seconds) s"])
        table.rows = [
            ["calls started", String(counts.callsStarted)],
            ["events sent", String(counts.eventsSent)],
            ["operations sent", String(counts.operationsSent)],
            ["errors", errors],
        ]
        for line in table.lines { Output.line(line) }
    }
}
