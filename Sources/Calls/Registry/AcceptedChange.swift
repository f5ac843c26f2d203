/// What one accepted telephony event or operation did: every event it numbered, in the order the
/// contract gives (the changed calls first, then the calls whose capabilities changed with them).
public struct AcceptedChange: Sendable, Hashable {
    /// The numbered events, with consecutive `seq`s; never empty.
    public var events: [CallEvent]
    /// The id of a call the change created on the bus's initiative (`Dial`, `InitiateTransfer`,
    /// `InitiateConference`), which the reply carries; `nil` otherwise.
    public var createdCallId: String?

    /// Creates a change.
    public init(events: [CallEvent], createdCallId: String? = nil) {
        self.events = events
        self.createdCallId = createdCallId
    }
}
