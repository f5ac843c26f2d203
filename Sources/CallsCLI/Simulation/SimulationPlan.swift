/// A whole simulation: time-ordered actions that the contract's state machine accepts, one by one.
struct SimulationPlan: Sendable, Hashable {
    /// The actions, sorted by time, then arrival, then step.
    var actions: [PlannedAction]
    /// How many arrivals (customer or agent calls) the plan has.
    var arrivals: Int

    /// How many calls the plan creates on the bus (an internal call or a consultation makes two).
    var callsCreated: Int {
        actions.count { $0.action.createsCall }
    }

    /// The time of the last action, in seconds from the start.
    var length: Double {
        actions.last?.time ?? 0
    }
}
