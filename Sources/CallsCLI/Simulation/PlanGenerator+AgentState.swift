import Calls

extension PlanGenerator {
    /// Why agents go Not Ready, as a contact center's reason codes name it.
    static let notReadyReasons = ["AfterCallWork", "Break", "Lunch", "Training", "Coaching"]

    /// A script for call `callId` on the device of the agent at `index`, starting at `time`; an
    /// agent not logged in yet first starts a contact-centre session and makes itself Ready.
    mutating func openCall(_ callId: String, agent index: Int, at time: Double) -> CallScript {
        var call = CallScript(callId: callId, agent: agent(index), start: time)
        if loggedIn.insert(index).inserted {
            call.changeAgentState(.startContactCenterSession)
            call.changeAgentState(.ready)
        }
        return call
    }

    /// After the agent's call (and whatever came with it) ends at `end`: sometimes Not Ready with a
    /// reason (wrap-up, a break), then Ready again; the agent takes no call meanwhile.
    mutating func afterCall(_ call: CallScript, until end: Double) -> CallScript {
        var call = call
        guard random.chance(0.3) else { return call }
        call.advance(to: end)
        call.wait(random.uniform(0.01, 0.05) * mean)
        call.changeAgentState(.notReady(reason: random.chance(0.9) ? random.pick(Self.notReadyReasons) : nil))
        call.wait(random.uniform(0.1, 0.3) * mean)
        call.changeAgentState(.ready)
        return call
    }
}
