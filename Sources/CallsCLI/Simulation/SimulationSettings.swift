/// What to simulate: who, how busy, how long, and the seed that fixes the rest.
struct SimulationSettings: Sendable, Hashable {
    /// When the plan stops starting calls.
    enum Limit: Sendable, Hashable {
        /// After this many arrivals; their calls then run to their end.
        case calls(Int)
        /// At this many seconds; calls still live then are released by the switch.
        case duration(Double)
    }

    /// The agents, each with one device; at least one.
    var agents: [SimulationAgent]
    /// Arrivals per second (a Poisson process).
    var rate: Double
    /// When to stop.
    var limit: Limit
    /// Fixes every random choice.
    var seed: UInt64
    /// The prefix of every call id, so that runs do not collide with calls a bus still retains.
    var idPrefix: String
    /// The mean length of a call in seconds; `nil` to derive it from the rate and the agents.
    var meanCallSeconds: Double?

    /// The mean call length used: by default about 80 % of the agents busy at the given rate
    /// (Little's law), between 1 and 120 seconds.
    var effectiveMeanCallSeconds: Double {
        meanCallSeconds ?? min(max(0.8 * Double(agents.count) / rate, 1), 120)
    }
}
