/// Whether the device's microphone is muted on a call, spelled as the contract's `mute`.
public enum MuteState: String, Codable, Sendable, CaseIterable {
    /// Muted.
    case on = "On"
    /// Not muted: every call starts so.
    case off = "Off"
}
