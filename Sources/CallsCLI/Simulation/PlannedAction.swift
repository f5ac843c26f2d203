/// One action of a plan, with its time and what it leaves behind.
struct PlannedAction: Sendable, Hashable {
    /// Seconds from the start of the run.
    var time: Double
    /// The arrival (the customer's call, or the agent's) that the action belongs to.
    var arrival: Int
    /// The action's place among the actions of its arrival: orders actions due at the same time.
    var step: Int
    /// What to send.
    var action: SimulationAction
    /// The device of the call, for the `Released` report that winds a live call down.
    var deviceId: String
    /// Whether the call is still live (not released) after this action.
    var leavesCallLive: Bool
    /// The other call of a consult pair, on the same device, when the action creates it (Initiate*)
    /// or releases it (`CompleteTransfer`).
    var otherCall: CallLiveness? = nil

    /// The calls whose liveness the action sets, with whether each is live afterwards.
    var liveness: [CallLiveness] {
        (action.callId.map { [CallLiveness(callId: $0, isLive: leavesCallLive)] } ?? [])
            + (otherCall.map { [$0] } ?? [])
    }
}
