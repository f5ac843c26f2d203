import Calls

/// Something the simulator does at one moment of its plan.
enum SimulationAction: Sendable, Hashable {
    /// The switch reports an event: a `telephony.event` as the Telephony principal.
    case telephony(TelephonyEvent)
    /// An agent operates one of its own calls: a `calls.operate` as that agent.
    case operation(user: String, callId: String, CallOperation)
    /// An agent changes its own state: a `users.operate` as that agent.
    case agent(user: String, UserOperation)

    /// The call it concerns; `nil` for an agent's state change.
    var callId: String? {
        switch self {
        case .telephony(let event): event.callId
        case .operation(_, let callId, _): callId
        case .agent: nil
        }
    }

    /// Whether it creates a call: a `Ringing` or `Dialing` report, or an `InitiateTransfer` or
    /// `InitiateConference` (whose new call the bus names).
    var createsCall: Bool {
        switch self {
        case .telephony(let event): event.type.isCreating
        case .operation(_, _, let operation): operation.createsCall
        case .agent: false
        }
    }

    /// The action with the plan's stand-in ids of bus-named calls replaced by the bus's ids.
    /// - Parameter ids: the bus's id of each stand-in seen so far; ids not in it stay as they are.
    func resolving(_ ids: [String: String]) -> SimulationAction {
        guard !ids.isEmpty else { return self }
        switch self {
        case .telephony(var event):
            event.callId = ids[event.callId] ?? event.callId
            return .telephony(event)
        case .operation(let user, let callId, var operation):
            if case .swapCalls(let other?) = operation { operation = .swapCalls(otherCallId: ids[other] ?? other) }
            return .operation(user: user, callId: ids[callId] ?? callId, operation)
        case .agent:
            return self
        }
    }
}
