import Foundation

extension CallStateMachine {
    /// The change an allowed operation makes to `call` (contract section 2's effects).
    static func change(_ call: Call, by operation: CallOperation, at now: Date) -> CallChange {
        var call = call
        switch operation {
        case .answer, .retrieve:
            call.state = .established
        case .hold:
            call.state = .held
        case .hangup, .singleStepTransfer:
            call.state = .released
            call.releasedAt = now
        case .muteCall:
            call.mute = .on
        case .unmuteCall:
            call.mute = .off
        case .sendDtmf(let digits):
            return CallChange(call: call, notification: .dtmfSent, digits: digits)
        case .attachUserData(let pairs), .updateUserData(let pairs):
            call.userData.merge(pairs) { _, new in new }
            return CallChange(call: call, notification: .attachedDataChanged)
        case .deleteUserData:
            call.userData = [:]
            return CallChange(call: call, notification: .attachedDataChanged)
        case .deleteUserDataPair(let key):
            call.userData[key] = nil
            return CallChange(call: call, notification: .attachedDataChanged)
        }
        return CallChange(call: call, notification: .statusChange)
    }
}
