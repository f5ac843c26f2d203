/// A request to operate a call (`calls.operate`), its parameters already checked.
public enum CallOperation: Sendable, Hashable {
    /// Answer a ringing call.
    case answer
    /// Release the call.
    case hangup
    /// Put an established call on hold.
    case hold
    /// Take a held call back.
    case retrieve
    /// Mute the device.
    case muteCall
    /// Unmute the device.
    case unmuteCall
    /// Send DTMF digits: 1 to 32 of `0-9*#ABCD`.
    case sendDtmf(digits: String)
    /// Transfer the call to `phoneNumber`; it leaves this device.
    case singleStepTransfer(phoneNumber: String)
    /// Add `phoneNumber` to the call's participants.
    case singleStepConference(phoneNumber: String)
    /// Remove `participant` from the call's participants.
    case removeParticipantFromConference(participant: String)
    /// Hold the call and dial `phoneNumber` on the same device, to transfer to it.
    case initiateTransfer(phoneNumber: String, userData: [String: String])
    /// Hold the call and dial `phoneNumber` on the same device, to conference it in.
    case initiateConference(phoneNumber: String, userData: [String: String])
    /// Sent to a consult call: release it and its parent.
    case completeTransfer
    /// Sent to a consult call: release it and bring its parties into its parent.
    case completeConference
    /// Hold the established call of a consult pair and retrieve the held one; `otherCallId`, when
    /// given, must name the other call of the pair.
    case swapCalls(otherCallId: String?)
    /// Start recording.
    case startCallRecording
    /// Pause recording.
    case pauseCallRecording
    /// Resume a paused recording.
    case resumeCallRecording
    /// Stop recording.
    case stopCallRecording
    /// Merge pairs into the call's user data.
    case attachUserData([String: String])
    /// Merge pairs into the call's user data.
    case updateUserData([String: String])
    /// Remove all user data.
    case deleteUserData
    /// Remove one user-data key.
    case deleteUserDataPair(key: String)

    /// The capability the call must have for this operation; its raw value is the `operationName`.
    public var capability: Capability {
        switch self {
        case .answer: .answer
        case .hangup: .hangup
        case .hold: .hold
        case .retrieve: .retrieve
        case .muteCall: .muteCall
        case .unmuteCall: .unmuteCall
        case .sendDtmf: .sendDtmf
        case .singleStepTransfer: .singleStepTransfer
        case .singleStepConference: .singleStepConference
        case .removeParticipantFromConference: .removeParticipantFromConference
        case .initiateTransfer: .initiateTransfer
        case .initiateConference: .initiateConference
        case .completeTransfer: .completeTransfer
        case .completeConference: .completeConference
        case .swapCalls: .swapCalls
        case .startCallRecording: .startCallRecording
        case .pauseCallRecording: .pauseCallRecording
        case .resumeCallRecording: .resumeCallRecording
        case .stopCallRecording: .stopCallRecording
        case .attachUserData: .attachUserData
        case .updateUserData: .updateUserData
        case .deleteUserData: .deleteUserData
        case .deleteUserDataPair: .deleteUserDataPair
        }
    }

    /// The GWS `operationName`, such as `Hold`.
    public var name: String {
        capability.rawValue
    }
}
