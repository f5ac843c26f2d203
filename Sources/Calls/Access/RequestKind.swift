/// The kinds of request that the access policy tells apart.
public enum RequestKind: String, Sendable, Hashable, CaseIterable {
    /// List the calls the user may see (`calls.list`).
    case list
    /// Read one call (`calls.get`).
    case get
    /// Operate a call (`calls.operate`).
    case operate
    /// Report a telephony event (`telephony.event`).
    case report
    /// Replay past events (`events.replay`).
    case replay
}
