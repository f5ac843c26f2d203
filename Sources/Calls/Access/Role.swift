/// What a principal of the directory is allowed to do (contract section 3).
public enum Role: String, Codable, Sendable, CaseIterable {
    /// Sees and operates every call and device.
    case contactCenterAdmin = "ContactCenterAdmin"
    /// Sees and operates only calls on devices the agent owns, and those devices.
    case agent = "Agent"
    /// A switch adapter: reports call events and sees no call and no device.
    case telephony = "Telephony"

    /// Whether this role may make requests of `kind` at all; visibility of calls and devices is
    /// checked apart.
    public func allows(_ kind: RequestKind) -> Bool {
        switch (self, kind) {
        case (.telephony, .operate), (.telephony, .dial), (.telephony, .operateDevice), (.telephony, .readUser),
            (.telephony, .operateUser):
            false
        case (.telephony, _): true
        case (_, .report): false
        default: true
        }
    }
}
