import Calls

extension PlanGenerator {
    /// How long after one side of an internal call the switch reports the other side.
    static let echo = 0.005

    /// How long a call rings before it is answered or abandoned.
    mutating func ringTime() -> Double {
        max(0.05, random.uniform(0.05, 0.25) * mean)
    }

    /// How long the parties talk: exponential around 60 % of the mean call, within bounds.
    mutating func talkTime() -> Double {
        min(max(random.exponential(mean: 0.6 * mean), 0.15 * mean), 3 * mean)
    }

    /// A customer calls in: ringing with the caller's number, then answered, abandoned or rejected.
    mutating func inbound(agent index: Int, at time: Double, base: String) -> [CallScript] {
        var call = openCall(base, agent: index, at: time)
        let caller = NumberingPlan.number(using: &random)
        call.report(.ringing, callType: .inbound, participants: [caller], ani: caller)
        let ring = ringTime()
        if random.chance(0.2) {
            // What the IVR collected, attached while the call is still offered.
            call.wait(ring * 0.3)
            call.operate(.attachUserData(userDataPairs()))
        }
        call.advance(to: time + ring)
        switch random.weightedIndex([0.08, 0.04, 0.88]) {
        case 0:
            call.report(.released)
            return [call]
        case 1:
            call.operate(.hangup)
            return [call]
        default:
            if random.chance(0.8) { call.operate(.answer) } else { call.report(.established) }
        }
        return converse(call, base: base)
    }

    /// An agent calls a customer: dialing, then connected or given up.
    mutating func outbound(agent index: Int, at time: Double, base: String) -> [CallScript] {
        var call = openCall(base, agent: index, at: time)
        call.report(.dialing, callType: .outbound, participants: [NumberingPlan.number(using: &random)])
        if random.chance(0.1) {
            // An access code or a calling-card PIN, keyed while the call is still being set up.
            call.wait(0.2 * ringTime())
            call.operate(.sendDtmf(digits: dtmfDigits()))
        }
        call.wait(ringTime())
        if random.chance(0.12) {
            if random.chance(0.5) { call.operate(.hangup) } else { call.report(.released) }
            return [call]
        }
        call.report(.established)
        return converse(call, base: base)
    }

    /// One agent calls another: two calls, dialing on the caller's device and ringing on the callee's.
    mutating func internalCall(from caller: Int, to callee: Int, at time: Double, base: String) -> [CallScript] {
        var dialing = openCall(base, agent: caller, at: time)
        dialing.report(.dialing, callType: .internal, participants: [agent(callee).extensionNumber])
        var ringing = CallScript(callId: base + "-b", agent: agent(callee), start: dialing.now + Self.echo)
        ringing.report(.ringing, callType: .internal, participants: [agent(caller).extensionNumber])
        ringing.wait(ringTime())
        if random.chance(0.1) {
            dialing.advance(to: ringing.now)
            dialing.operate(.hangup)
            ringing.advance(to: dialing.now + Self.echo)
            ringing.report(.released)
            return [dialing, ringing]
        }
        if random.chance(0.85) { ringing.operate(.answer) } else { ringing.report(.established) }
        dialing.advance(to: ringing.now + Self.echo)
        dialing.report(.established)
        let end = dialing.now + talkTime()
        for _ in 0..<random.index(below: 3) {
            // Either side may mute, key digits, attach data or hold for a moment.
            if random.chance(0.5) {
                dialing.wait(random.uniform(0.1, 0.4) * (end - dialing.now))
                briefActivity(&dialing)
            } else {
                ringing.advance(to: dialing.now)
                ringing.wait(random.uniform(0.1, 0.4) * (end - ringing.now))
                briefActivity(&ringing)
            }
        }
        dialing.advance(to: max(end, ringing.now))
        ringing.advance(to: dialing.now)
        if random.chance(0.5) {
            dialing.operate(.hangup)
            ringing.advance(to: dialing.now + Self.echo)
            ringing.report(.released)
        } else {
            ringing.operate(.hangup)
            dialing.advance(to: ringing.now + Self.echo)
            dialing.report(.released)
        }
        return [dialing, ringing]
    }

    /// The connected part of a customer call: activities, perhaps a consultation, then the end.
    private mutating func converse(_ call: CallScript, base: String) -> [CallScript] {
        var call = call
        var consultation: [CallScript] = []
        talk(&call, for: talkTime(), consultation: &consultation, base: base)
        if call.isLive { end(&call) }
        return [call] + consultation
    }

    /// Ends an established call: the agent hangs up, the customer does, or the agent transfers it.
    private mutating func end(_ call: inout CallScript) {
        switch random.weightedIndex([0.45, 0.4, 0.15]) {
        case 0: call.operate(.hangup)
        case 1: call.report(.released)
        default: call.operate(.singleStepTransfer(phoneNumber: transferDestination(from: call.agent)))
        }
    }

    /// Another agent's extension, or an outside number (a partner desk, a supervisor's mobile).
    mutating func transferDestination(from agent: SimulationAgent) -> String {
        let others = settings.agents.filter { $0.id != agent.id }
        if !others.isEmpty, random.chance(0.5) { return random.pick(others).extensionNumber }
        return NumberingPlan.number(using: &random)
    }
}
