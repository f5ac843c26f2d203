/// The kind of a call, spelled as the contract's `callType`.
public enum CallType: String, Codable, Sendable, CaseIterable {
    /// A call that came in from outside.
    case inbound = "Inbound"
    /// A call the device placed to the outside.
    case outbound = "Outbound"
    /// A call between two devices of the contact center.
    case `internal` = "Internal"
    /// A consultation call placed while another call is held.
    case consult = "Consult"
}
