/// How a consult call came to be, which decides how it may be completed (contract section 2).
public enum ConsultOrigin: String, Codable, Sendable, CaseIterable {
    /// Made by `InitiateTransfer`: it may be completed by `CompleteTransfer`.
    case transfer = "Transfer"
    /// Made by `InitiateConference`: it may be completed by `CompleteConference`.
    case conference = "Conference"
    /// Reported by the switch (a creating event with `parentCallId`): either completion.
    case reported = "Reported"
}
