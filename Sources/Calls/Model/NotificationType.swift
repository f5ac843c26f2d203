/// Why a call event was published, spelled as the contract's `notificationType`.
public enum NotificationType: String, Codable, Sendable, CaseIterable {
    /// The call was created, or its state or `mute` changed.
    case statusChange = "StatusChange"
    /// The switch replaced the call's participants.
    case participantsUpdated = "ParticipantsUpdated"
    /// The call's `userData` was attached, updated or deleted.
    case attachedDataChanged = "AttachedDataChanged"
    /// DTMF digits were sent on the call; the event body carries them as `digits`.
    case dtmfSent = "DtmfSent"
    /// The call's `recordingState` changed.
    case callRecordingStateChange = "CallRecordingStateChange"
}
