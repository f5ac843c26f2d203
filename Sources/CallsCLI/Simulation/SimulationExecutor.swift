import Calls
import CallsBusClient
import CallsBusMessages
import Foundation
import Synchronization

/// Plays a ``SimulationPlan`` against the bus in real time: each action at its time, in order,
/// one request at a time so that the actions of a call reach the bus in the order planned.
///
/// A consult call made by `InitiateTransfer` or `InitiateConference` gets its id from the bus;
/// the plan names it by a stand-in, which the executor learns from the reply and replaces in
/// every later request.
final class SimulationExecutor: Sendable {
    /// The bus.
    let client: CallsBusClient
    /// What to send.
    let plan: SimulationPlan
    /// The Telephony principal that reports switch events.
    let telephonyUser: String
    /// Where the outcomes are counted.
    let tally: SimulationTally
    /// The bus's id of each stand-in id of the plan.
    private let busIds = Mutex<[String: String]>([:])

    /// Creates an executor.
    init(client: CallsBusClient, plan: SimulationPlan, telephonyUser: String, tally: SimulationTally) {
        self.client = client
        self.plan = plan
        self.telephonyUser = telephonyUser
        self.tally = tally
    }

    /// Sends the plan's actions at their times; returns at the end of the plan or when cancelled.
    /// - Parameter start: the instant that the plan's time 0 stands for.
    /// - Returns: whether the whole plan was sent.
    func run(from start: ContinuousClock.Instant) async -> Bool {
        for planned in plan.actions {
            let due = start + .milliseconds(Int64((planned.time * 1000).rounded()))
            do {
                // A run that fell behind (a slow bus) catches up by sending at once.
                if due > .now { try await Task.sleep(until: due, clock: .continuous) }
                try Task.checkCancellation()
            } catch {
                return false
            }
            await send(planned)
        }
        return true
    }

    /// Releases the calls that the run leaves live, as a switch adapter going away would report them.
    func windDown() async -> Int {
        let live = tally.current.liveCalls.sorted { $0.key < $1.key }
        for (callId, deviceId) in live {
            let release = TelephonyEvent(type: .released, callId: callId, deviceId: deviceId)
            await send(
                PlannedAction(
                    time: 0, arrival: 0, step: 0, action: .telephony(release), deviceId: deviceId,
                    leavesCallLive: false))
        }
        return live.count
    }

    private func send(_ planned: PlannedAction) async {
        do {
            let action = planned.action.resolving(busIds.withLock { $0 })
            let reply = try await client.send(action.request(telephonyUser: telephonyUser))
            if reply.isSuccess {
                if planned.action.createsCall, let created = planned.otherCall, let id = reply.string("id") {
                    busIds.withLock { $0[created.callId] = id }
                }
                tally.recordSuccess(of: planned)
            } else {
                tally.recordFailure("statusCode \(reply.statusCode)")
            }
        } catch {
            tally.recordFailure("no answer")
        }
    }
}
