import Synchronization

/// What a run has sent so far, shared by the executor and the progress display.
final class SimulationTally: Sendable {
    /// The counts at one moment.
    struct Counts: Sendable {
        /// Calls the bus accepted a creating event for.
        var callsStarted = 0
        /// Telephony events accepted.
        var eventsSent = 0
        /// Operations accepted: on calls, and agents' state changes.
        var operationsSent = 0
        /// Failed requests by reason: `statusCode N`, or `no answer` when the bus did not reply.
        var errors: [String: Int] = [:]
        /// Calls live now as far as the plan goes: call id (the plan's) to device id.
        var liveCalls: [String: String] = [:]

        /// Failed requests of every reason.
        var errorCount: Int { errors.values.reduce(0, +) }
    }

    private let counts = Mutex(Counts())

    /// Creates an empty tally.
    init() {}

    /// Counts an action the bus accepted.
    func recordSuccess(of planned: PlannedAction) {
        counts.withLock { counts in
            switch planned.action {
            case .telephony: counts.eventsSent += 1
            case .operation, .agent: counts.operationsSent += 1
            }
            if planned.action.createsCall { counts.callsStarted += 1 }
            for change in planned.liveness { counts.liveCalls[change.callId] = change.isLive ? planned.deviceId : nil }
        }
    }

    /// Counts a failed request under `reason`.
    func recordFailure(_ reason: String) {
        counts.withLock { $0.errors[reason, default: 0] += 1 }
    }

    /// A copy of the counts.
    var current: Counts {
        counts.withLock { $0 }
    }
}
