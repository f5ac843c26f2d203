/// A device's do-not-disturb setting, spelled as the contract's `doNotDisturb` (section 8).
public enum DoNotDisturb: String, Codable, Sendable, CaseIterable {
    /// Calls are not offered to the device.
    case on = "On"
    /// The default.
    case off = "Off"
}
