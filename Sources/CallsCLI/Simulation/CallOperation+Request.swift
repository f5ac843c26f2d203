import Calls
import CallsJSON

extension CallOperation {
    /// The operation's parameters as `calls.operate` request fields (contract section 2).
    var parameters: [String: JSONValue] {
        switch self {
        case .answer, .hangup, .hold, .retrieve, .muteCall, .unmuteCall, .deleteUserData, .completeTransfer,
            .completeConference, .startCallRecording, .pauseCallRecording, .resumeCallRecording, .stopCallRecording:
            return [:]
        case .sendDtmf(let digits):
            return ["digits": .string(digits)]
        case .singleStepTransfer(let phoneNumber), .singleStepConference(let phoneNumber):
            return ["destination": .object(["phoneNumber": .string(phoneNumber)])]
        case .initiateTransfer(let phoneNumber, let pairs), .initiateConference(let phoneNumber, let pairs):
            var fields: [String: JSONValue] = ["destination": .object(["phoneNumber": .string(phoneNumber)])]
            if !pairs.isEmpty { fields["userData"] = .object(pairs.mapValues(JSONValue.string)) }
            return fields
        case .removeParticipantFromConference(let participant):
            return ["participant": .string(participant)]
        case .swapCalls(let otherCallId):
            return otherCallId.map { ["otherCallUri": .string($0)] } ?? [:]
        case .attachUserData(let pairs), .updateUserData(let pairs):
            return ["userData": .object(pairs.mapValues(JSONValue.string))]
        case .deleteUserDataPair(let key):
            return ["key": .string(key)]
        }
    }
}

extension CallOperation {
    /// Whether the operation makes a new call (the consult call of `InitiateTransfer` or `InitiateConference`).
    var createsCall: Bool {
        switch self {
        case .initiateTransfer, .initiateConference: true
        default: false
        }
    }
}
