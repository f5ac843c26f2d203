import Calls

extension PlanGenerator {
    /// What happens while a customer call is connected: a few activities spread over `duration`,
    /// each leaving the call established (or ended, after a consultation and a transfer).
    mutating func talk(
        _ call: inout CallScript, for duration: Double, consultation: inout [CallScript], base: String
    ) {
        let end = call.now + duration
        let count = random.index(below: 5)
        let slot = duration / Double(count + 1)
        for _ in 0..<count where call.isLive {
            call.wait(slot * random.uniform(0.3, 0.9))
            switch random.weightedIndex([0.5, 0.1, 0.06, 0.16, 0.1, 0.08]) {
            case 1: editUserData(&call)
            case 2: changeParties(&call)
            // One consultation per call at most: its call ids are derived from the call's. Half are
            // reported by the switch, half initiated from the agent's desktop.
            case 3 where consultation.isEmpty:
                if random.chance(0.5) {
                    consult(&call, consultation: &consultation, base: base)
                } else {
                    initiatedConsult(&call, consultation: &consultation, base: base)
                }
            case 4: record(&call)
            case 5: conferenceIn(&call)
            default: briefActivity(&call)
            }
        }
        call.advance(to: end)
    }

    /// A hold and retrieve, a mute and unmute, DTMF digits or attached data, on an established call.
    mutating func briefActivity(_ call: inout CallScript) {
        let pause = random.uniform(0.05, 0.2) * mean
        switch random.weightedIndex([0.3, 0.22, 0.22, 0.26]) {
        case 0:
            // Usually from the agent's desktop; sometimes the handset's hold key, which the switch reports.
            if random.chance(0.75) {
                call.operate(.hold)
                call.wait(pause)
                call.operate(.retrieve)
            } else {
                call.report(.held)
                call.wait(pause)
                call.report(.retrieved)
            }
        case 1:
            call.operate(.muteCall)
            call.wait(pause)
            call.operate(.unmuteCall)
        case 2:
            call.operate(.sendDtmf(digits: dtmfDigits()))
        default:
            call.operate(.attachUserData(userDataPairs()))
        }
    }

    private mutating func editUserData(_ call: inout CallScript) {
        guard !call.userDataKeys.isEmpty else {
            call.operate(.attachUserData(userDataPairs()))
            return
        }
        let key = random.pick(call.userDataKeys)
        switch random.weightedIndex([0.5, 0.35, 0.15]) {
        case 0: call.operate(.updateUserData([key: userDataValue(for: key)]))
        case 1: call.operate(.deleteUserDataPair(key: key))
        default: call.operate(.deleteUserData)
        }
    }

    /// A third party joins (a conference), or, when three are on, the extra ones leave.
    private mutating func changeParties(_ call: inout CallScript) {
        var participants = call.participants
        if participants.count >= 3 {
            participants = Array(participants.prefix(1))
        } else {
            participants.append(NumberingPlan.number(using: &random))
        }
        call.report(.partiesChanged, participants: participants)
    }

    /// The agent holds the call, consults a colleague or an outside number on a second call, then
    /// takes the customer back or transfers them to whom it consulted.
    private mutating func consult(_ call: inout CallScript, consultation: inout [CallScript], base: String) {
        call.operate(.hold)
        var consult = CallScript(callId: base + "-c", agent: call.agent, start: call.now + 0.02 * mean)
        let colleagues = settings.agents.filter { $0.id != call.agent.id }
        let target: String
        if !colleagues.isEmpty, random.chance(0.6) {
            let colleague = random.pick(colleagues)
            target = colleague.extensionNumber
            consult.report(.dialing, callType: .consult, participants: [target])
            var ringing = CallScript(callId: base + "-d", agent: colleague, start: consult.now + Self.echo)
            ringing.report(.ringing, callType: .internal, participants: [call.agent.extensionNumber])
            ringing.wait(0.5 * ringTime())
            if random.chance(0.85) {
                ringing.operate(.answer)
                consult.advance(to: ringing.now + Self.echo)
                consult.report(.established)
                consult.wait(random.uniform(0.05, 0.3) * mean)
            } else {
                consult.advance(to: ringing.now)
            }
            consult.operate(.hangup)
            ringing.advance(to: consult.now + Self.echo)
            ringing.report(.released)
            consultation += [consult, ringing]
        } else {
            target = NumberingPlan.number(using: &random)
            consult.report(.dialing, callType: .consult, participants: [target])
            consult.wait(0.5 * ringTime())
            consult.report(.established)
            consult.wait(random.uniform(0.05, 0.3) * mean)
            if random.chance(0.5) { consult.operate(.hangup) } else { consult.report(.released) }
            consultation.append(consult)
        }
        call.advance(to: consult.now + Self.echo)
        if random.chance(0.3) {
            call.operate(.singleStepTransfer(phoneNumber: target))
        } else {
            call.operate(.retrieve)
        }
    }

    /// 1 to 8 DTMF digits, as keyed for a menu choice or an account number.
    mutating func dtmfDigits() -> String {
        let keys = Array("0123456789*#")
        return String((0...random.index(below: 8)).map { _ in random.pick(keys) })
    }

    /// One or two pairs of the kind a contact center attaches to a call.
    mutating func userDataPairs() -> [String: String] {
        let keys = ["caseId", "language", "segment", "reason", "accountId"]
        let first = random.index(below: keys.count)
        var pairs = [keys[first]: userDataValue(for: keys[first])]
        if random.chance(0.4) {
            let second = keys[(first + 1 + random.index(below: keys.count - 1)) % keys.count]
            pairs[second] = userDataValue(for: second)
        }
        return pairs
    }

    private mutating func userDataValue(for key: String) -> String {
        switch key {
        case "caseId": "CS-" + String(100_000 + random.index(below: 900_000))
        case "language": random.pick(["en", "fr", "de", "es", "it", "pt", "ja"])
        case "segment": random.pick(["gold", "silver", "bronze"])
        case "reason": random.pick(["billing", "support", "sales", "complaint"])
        default: "AC" + String(10_000_000 + random.index(below: 90_000_000))
        }
    }
}
