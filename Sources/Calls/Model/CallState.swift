/// Where a call is in its life, spelled as the contract's `state`.
public enum CallState: String, Codable, Sendable, CaseIterable {
    /// The device is placing the call.
    case dialing = "Dialing"
    /// The call is offered to the device.
    case ringing = "Ringing"
    /// The parties are connected.
    case established = "Established"
    /// The device put the call on hold.
    case held = "Held"
    /// The call has ended on this device; it stays visible for the released-call retention.
    case released = "Released"

    /// Whether the call is still going on (any state but ``released``).
    public var isLive: Bool {
        self != .released
    }
}
