import Calls

/// Turns ``SimulationSettings`` into a ``SimulationPlan``: a pure function of the settings.
///
/// Arrivals follow a Poisson process at the settings' rate. Each is an inbound, outbound or
/// internal call given to a free agent (the one free soonest when all are busy), scripted from
/// ringing to release, with the agent's state changes around it (a login before its first call,
/// sometimes Not Ready for a while after one); every random choice comes from one ``SplitMix64`` seeded with the
/// settings' seed, in a fixed order, so the same settings always give the same plan.
struct PlanGenerator {
    /// What to plan.
    let settings: SimulationSettings
    /// The source of every random choice, seeded with the settings' seed.
    var random: SplitMix64
    /// When each agent (by index) is done with its current call.
    private var freeAt: [Double]
    /// The mean call length, in seconds.
    let mean: Double
    /// The agents (by index) that have started a contact-centre session.
    var loggedIn: Set<Int> = []

    /// The plan for `settings`.
    static func plan(_ settings: SimulationSettings) -> SimulationPlan {
        var generator = PlanGenerator(settings: settings)
        return generator.generate()
    }

    private init(settings: SimulationSettings) {
        precondition(!settings.agents.isEmpty && settings.rate > 0, "the command validates agents and rate")
        self.settings = settings
        random = SplitMix64(seed: settings.seed)
        freeAt = Array(repeating: 0, count: settings.agents.count)
        mean = settings.effectiveMeanCallSeconds
    }

    private mutating func generate() -> SimulationPlan {
        var actions: [PlannedAction] = []
        var arrival = 0
        var time = random.exponential(mean: 1 / settings.rate)
        while startsAnother(arrival: arrival, at: time) {
            actions += planned(scenario(at: time, base: callIdBase(arrival)), arrival: arrival)
            arrival += 1
            time += random.exponential(mean: 1 / settings.rate)
        }
        actions.sort { ($0.time, $0.arrival, $0.step) < ($1.time, $1.arrival, $1.step) }
        return SimulationPlan(actions: actions, arrivals: arrival)
    }

    private func startsAnother(arrival: Int, at time: Double) -> Bool {
        switch settings.limit {
        case .calls(let count): arrival < count
        case .duration(let seconds): time < seconds
        }
    }

    /// `<prefix>c000042`: ids of equal length sort in arrival order.
    private func callIdBase(_ arrival: Int) -> String {
        let digits = String(arrival)
        return settings.idPrefix + "c" + String(repeating: "0", count: max(0, 6 - digits.count)) + digits
    }

    private mutating func scenario(at time: Double, base: String) -> [CallScript] {
        let agent = chooseAgent(at: time, excluding: nil)
        let canCallInternally = settings.agents.count > 1
        var scripts: [CallScript]
        switch random.weightedIndex([0.5, 0.3, canCallInternally ? 0.2 : 0]) {
        case 0: scripts = inbound(agent: agent, at: time, base: base)
        case 1: scripts = outbound(agent: agent, at: time, base: base)
        default:
            let peer = chooseAgent(at: time, excluding: agent)
            scripts = internalCall(from: agent, to: peer, at: time, base: base)
            freeAt[peer] = max(freeAt[peer], scripts.map(\.now).max() ?? time)
        }
        scripts[0] = afterCall(scripts[0], until: scripts.map(\.now).max() ?? time)
        freeAt[agent] = max(freeAt[agent], scripts.map(\.now).max() ?? time)
        return scripts
    }

    /// A random free agent's index, or the one free soonest (lowest index on ties) when all are busy.
    private mutating func chooseAgent(at time: Double, excluding excluded: Int?) -> Int {
        let candidates = settings.agents.indices.filter { $0 != excluded }
        let free = candidates.filter { freeAt[$0] <= time }
        if !free.isEmpty { return random.pick(free) }
        return candidates.min { (freeAt[$0], $0) < (freeAt[$1], $1) } ?? 0
    }

    /// The scripts' entries as planned actions; with a duration limit, what falls after it is cut
    /// and calls still live then are released by the switch at the limit.
    private func planned(_ scripts: [CallScript], arrival: Int) -> [PlannedAction] {
        var result: [PlannedAction] = []
        for (index, script) in scripts.enumerated() {
            for (step, entry) in script.entries.enumerated() {
                if case .duration(let limit) = settings.limit, entry.time >= limit { continue }
                result.append(
                    PlannedAction(
                        time: entry.time, arrival: arrival, step: index * 10_000 + step, action: entry.action,
                        deviceId: script.agent.deviceId, leavesCallLive: entry.isLiveAfter, otherCall: entry.otherCall))
            }
        }
        guard case .duration(let limit) = settings.limit else { return result }
        // A call may be made or ended by an action on the other call of its consult pair: follow
        // every call's liveness through the arrival's actions in time order.
        var live: [String: String] = [:]
        for planned in result.sorted(by: { ($0.time, $0.step) < ($1.time, $1.step) }) {
            for change in planned.liveness { live[change.callId] = change.isLive ? planned.deviceId : nil }
        }
        for (offset, (callId, deviceId)) in live.sorted(by: { $0.key < $1.key }).enumerated() {
            let release = TelephonyEvent(type: .released, callId: callId, deviceId: deviceId)
            result.append(
                PlannedAction(
                    time: limit, arrival: arrival, step: 1_000_000 + offset, action: .telephony(release),
                    deviceId: deviceId, leavesCallLive: false))
        }
        return result
    }

    /// The agent at `index`.
    func agent(_ index: Int) -> SimulationAgent {
        settings.agents[index]
    }
}
