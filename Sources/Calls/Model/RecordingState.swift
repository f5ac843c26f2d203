/// Whether a call is being recorded, spelled as the contract's `recordingState` (section 1).
public enum RecordingState: String, Codable, Sendable, CaseIterable {
    /// Recording now.
    case recording = "Recording"
    /// Recording paused; it may resume or stop.
    case paused = "Paused"
    /// Recording stopped; it may start again.
    case stopped = "Stopped"
}
