import Calls

/// Something the simulator does at one moment of its plan.
enum SimulationAction: Sendable, Hashable {
    /// The switch reports an event: a `telephony.event` as the Telephony principal.
    case telephony(TelephonyEvent)
    /// An agent operates one of its own calls: a `calls.operate` as that agent.
    case operation(user: String, callId: String, CallOperation)

    /// The call it concerns.
    var callId: String {
        switch self {
        case .telephony(let event): event.callId
        case .operation(_, let callId, _): callId
        }
    }

    /// Whether it creates a call (a `Ringing` or `Dialing` report).
    var createsCall: Bool {
        if case .telephony(let event) = self { return event.type.isCreating }
        return false
    }
}
