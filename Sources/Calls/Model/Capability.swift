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
    /// Merge key-value pairs into the call's `userData`.
    case attachUserData = "AttachUserData"
    /// Merge key-value pairs into the call's `userData` (GWS keeps both names).
    case updateUserData = "UpdateUserData"
    /// Remove all of the call's `userData`.
    case deleteUserData = "DeleteUserData"
    /// Remove one key of the call's `userData`.
    case deleteUserDataPair = "DeleteUserDataPair"
}
