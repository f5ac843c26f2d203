import Foundation

extension CallStateMachine {
    /// The changes an allowed operation makes (contract section 2's effects), in the table's order,
    /// or why its parameters do not fit the call (2).
    static func changes(
        _ call: Call,
        in pair: ConsultPairRole?,
        by operation: CallOperation,
        at now: Date,
        newCallId: String
    ) -> Result<[CallChange], CallsError> {
        var changed = call
        switch operation {
        case .answer, .retrieve:
            changed = call.moved(to: .established, at: now)
        case .hold:
            changed = call.moved(to: .held, at: now)
        case .hangup, .singleStepTransfer:
            changed = call.moved(to: .released, at: now)
        case .muteCall:
            changed.mute = .on
        case .unmuteCall:
            changed.mute = .off
        case .sendDtmf(let digits):
            return .success([CallChange(call: call, notification: .dtmfSent, digits: digits)])
        case .singleStepConference(let number):
            guard !call.participants.contains(number) else {
                return .failure(.invalidParameter("'\(number)' already takes part in call '\(call.id)'"))
            }
            changed.participants.append(number)
            return .success([CallChange(call: changed, notification: .participantsUpdated)])
        case .removeParticipantFromConference(let participant):
            guard let index = call.participants.firstIndex(of: participant) else {
                return .failure(.invalidParameter("'\(participant)' does not take part in call '\(call.id)'"))
            }
            changed.participants.remove(at: index)
            return .success([CallChange(call: changed, notification: .participantsUpdated)])
        case .initiateTransfer(let number, let userData), .initiateConference(let number, let userData):
            let consult = Call(
                id: newCallId, deviceId: call.deviceId, state: .dialing, callType: .consult, participants: [number],
                userData: userData, startTime: now, parentCallId: call.id,
                consultOrigin: operation.capability == .initiateTransfer ? .transfer : .conference)
            return .success([
                CallChange(call: call.moved(to: .held, at: now), notification: .statusChange),
                CallChange(call: consult, notification: .statusChange),
            ])
        case .completeTransfer, .completeConference:
            return .success(completion(of: call, by: operation, parent: pair?.partner ?? call, at: now))
        case .swapCalls(let otherCallId):
            guard let partner = pair?.partner else {
                return .failure(.invalidParameter("call '\(call.id)' is in no consult pair to swap with"))
            }
            if let otherCallId, otherCallId != partner.id {
                return .failure(
                    .invalidParameter(
                        "otherCallUri names call '\(otherCallId)'; call '\(call.id)' can swap only with '\(partner.id)'"
                    ))
            }
            let (active, held) = call.state == .established ? (call, partner) : (partner, call)
            return .success([
                CallChange(call: active.moved(to: .held, at: now), notification: .statusChange),
                CallChange(call: held.moved(to: .established, at: now), notification: .statusChange),
            ])
        case .startCallRecording, .resumeCallRecording:
            changed.recordingState = .recording
            return .success([CallChange(call: changed, notification: .callRecordingStateChange)])
        case .pauseCallRecording:
            changed.recordingState = .paused
            return .success([CallChange(call: changed, notification: .callRecordingStateChange)])
        case .stopCallRecording:
            changed.recordingState = .stopped
            return .success([CallChange(call: changed, notification: .callRecordingStateChange)])
        case .attachUserData(let pairs), .updateUserData(let pairs):
            changed.userData.merge(pairs) { _, new in new }
            return .success([CallChange(call: changed, notification: .attachedDataChanged)])
        case .deleteUserData:
            changed.userData = [:]
            return .success([CallChange(call: changed, notification: .attachedDataChanged)])
        case .deleteUserDataPair(let key):
            changed.userData[key] = nil
            return .success([CallChange(call: changed, notification: .attachedDataChanged)])
        }
        return .success([CallChange(call: changed, notification: .statusChange)])
    }

    /// `CompleteTransfer` and `CompleteConference`, sent to the consult call: it is released first,
    /// then its parent is released (transfer) or established with the consult call's parties (conference).
    private static func completion(
        of consult: Call, by operation: CallOperation, parent: Call, at now: Date
    ) -> [CallChange] {
        var parentAfter: Call
        if operation == .completeTransfer {
            parentAfter = parent.moved(to: .released, at: now)
        } else {
            parentAfter = parent.moved(to: .established, at: now)
            parentAfter.participants += consult.participants.filter { !parent.participants.contains($0) }
        }
        return [
            CallChange(call: consult.moved(to: .released, at: now), notification: .statusChange),
            // A parent already established (the switch retrieved it) changes only its parties.
            CallChange(
                call: parentAfter,
                notification: parentAfter.state == parent.state ? .participantsUpdated : .statusChange),
        ]
    }
}
