/// What the switch saw on a device, spelled as a telephony event's `type`.
public enum TelephonyEventType: String, Codable, Sendable, CaseIterable {
    /// A call is offered to the device: creates a ``CallState/ringing`` call.
    case ringing = "Ringing"
    /// The device places a call: creates a ``CallState/dialing`` call.
    case dialing = "Dialing"
    /// A ringing or dialing call was connected.
    case established = "Established"
    /// An established call was put on hold.
    case held = "Held"
    /// A held call was taken back.
    case retrieved = "Retrieved"
    /// The call ended on the device.
    case released = "Released"
    /// The call's parties changed; the event carries the new `participants`.
    case partiesChanged = "PartiesChanged"

    /// Whether this event creates a call (``ringing`` and ``dialing``).
    public var isCreating: Bool {
        self == .ringing || self == .dialing
    }
}
