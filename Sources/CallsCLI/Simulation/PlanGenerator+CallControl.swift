import Calls

extension PlanGenerator {
    /// The agent consults from its desktop: `InitiateTransfer` or `InitiateConference` holds the
    /// call and makes a consult call that the bus names, the switch reports it `Established`, the
    /// agent may swap between the two, then completes the transfer or conference, or gives up on
    /// the consult call and takes the customer back.
    mutating func initiatedConsult(_ call: inout CallScript, consultation: inout [CallScript], base: String) {
        let isTransfer = random.chance(0.5)
        let target = transferDestination(from: call.agent)
        // The bus names the consult call; the plan calls it by this stand-in, which the executor
        // replaces with the id of the Initiate* reply.
        let consultId = base + "-t"
        let pairs = random.chance(0.3) ? userDataPairs() : [:]
        call.operate(
            isTransfer
                ? .initiateTransfer(phoneNumber: target, userData: pairs)
                : .initiateConference(phoneNumber: target, userData: pairs),
            otherCall: CallLiveness(callId: consultId, isLive: true))
        var consult = CallScript(consultCallId: consultId, agent: call.agent, start: call.now, phoneNumber: target)
        consult.wait(0.5 * ringTime())
        consult.report(.established)
        consult.wait(random.uniform(0.05, 0.2) * mean)
        if random.chance(0.4) {
            // Back to the customer for a word, then to the consulted party again.
            consult.operate(.swapCalls(otherCallId: random.chance(0.5) ? call.callId : nil))
            call.follow(.established, at: consult.now)
            call.wait(random.uniform(0.05, 0.15) * mean)
            call.operate(.swapCalls(otherCallId: consultId))
            consult.follow(.established, at: call.now)
            consult.wait(random.uniform(0.05, 0.15) * mean)
        }
        if random.chance(0.75) {
            if isTransfer {
                consult.operate(.completeTransfer, otherCall: CallLiveness(callId: call.callId, isLive: false))
                call.follow(.released, at: consult.now)
            } else {
                consult.operate(.completeConference)
                call.follow(.established, at: consult.now, addingParticipants: consult.participants)
            }
        } else {
            if random.chance(0.5) { consult.operate(.hangup) } else { consult.report(.released) }
            call.advance(to: consult.now + Self.echo)
            call.operate(.retrieve)
        }
        consultation.append(consult)
    }

    /// The agent records part of the call: start, perhaps a pause (card details) and resume, stop.
    mutating func record(_ call: inout CallScript) {
        let pause = random.uniform(0.05, 0.2) * mean
        if call.recording != .recording && call.recording != .paused {
            call.operate(.startCallRecording)
            call.wait(pause)
        }
        if call.recording == .recording, random.chance(0.5) {
            call.operate(.pauseCallRecording)
            call.wait(pause)
        }
        if call.recording == .paused { call.operate(.resumeCallRecording) }
        // Sometimes the recording runs on to the end of the call.
        if random.chance(0.7) {
            call.wait(pause)
            call.operate(.stopCallRecording)
        }
    }

    /// The agent adds a third party in one step (a supervisor, an interpreter), who may leave again.
    mutating func conferenceIn(_ call: inout CallScript) {
        let number = transferDestination(from: call.agent)
        guard !call.participants.contains(number) else { return }
        call.operate(.singleStepConference(phoneNumber: number))
        if random.chance(0.6) {
            call.wait(random.uniform(0.05, 0.2) * mean)
            call.operate(.removeParticipantFromConference(participant: number))
        }
    }
}
