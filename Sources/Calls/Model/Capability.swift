/// An operation a call allows, named as in GWS (the contract's `capabilities` and `operationName`).
public enum Capability: String, Codable, Sendable, CaseIterable {
    /// Answer a ringing call.
    case answer = "Answer"
    /// Release the call.
    case hangup = "Hangup"
    /// Put an established call on hold.
    case hold = "Hold"
    /// Take a held call back.
    case retrieve = "Retrieve"
    /// Mute the device on an established call.
    case muteCall = "MuteCall"
    /// Unmute the device on an established call.
    case unmuteCall = "UnmuteCall"
    /// Send DTMF digits.
    case sendDtmf = "SendDtmf"
    /// Transfer the call to another number; it leaves this device.
    case singleStepTransfer = "SingleStepTransfer"
    /// Add a number to the call's participants.
    case singleStepConference = "SingleStepConference"
    /// Remove a number from the call's participants.
    case removeParticipantFromConference = "RemoveParticipantFromConference"
    /// Hold the call and dial a consult call meant to be transferred.
    case initiateTransfer = "InitiateTransfer"
    /// Hold the call and dial a consult call meant to be conferenced in.
    case initiateConference = "InitiateConference"
    /// On a consult call: release it and its parent (the parties are connected by the switch).
    case completeTransfer = "CompleteTransfer"
    /// On a consult call: release it and bring its parties into the parent.
    case completeConference = "CompleteConference"
    /// On either call of a consult pair: hold the established one and retrieve the held one.
    case swapCalls = "SwapCalls"
    /// Start recording.
    case startCallRecording = "StartCallRecording"
    /// Pause recording.
    case pauseCallRecording = "PauseCallRecording"
    /// Resume a paused recording.
    case resumeCallRecording = "ResumeCallRecording"
    /// Stop recording.
    case stopCallRecording = "StopCallRecording"
    /// Merge key-value pairs into the call's `userData`.
    case attachUserData = "AttachUserData"
    /// Merge key-value pairs into the call's `userData` (GWS keeps both names).
    case updateUserData = "UpdateUserData"
    /// Remove all of the call's `userData`.
    case deleteUserData = "DeleteUserData"
    /// Remove one key of the call's `userData`.
    case deleteUserDataPair = "DeleteUserDataPair"
}
