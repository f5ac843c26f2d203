import Calls
import CallsJSON

extension CallOperation {
    /// The operation's parameters as `calls.operate` request fields (contract section 2).
    var parameters: [String: JSONValue] {
        switch self {
        case .answer, .hangup, .hold, .retrieve, .muteCall, .unmuteCall, .deleteUserData:
            return [:]
        case .sendDtmf(let digits):
            return ["digits": .string(digits)]
        case .singleStepTransfer(let phoneNumber):
            return ["destination": .object(["phoneNumber": .string(phoneNumber)])]
        case .attachUserData(let pairs), .updateUserData(let pairs):
            return ["userData": .object(pairs.mapValues(JSONValue.string))]
        case .deleteUserDataPair(let key):
            return ["key": .string(key)]
        }
    }
}
