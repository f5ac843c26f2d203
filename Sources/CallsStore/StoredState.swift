public import Calls

/// Everything the bus needs to carry on after a restart.
public struct StoredState: Sendable {
    /// The current calls, released ones still retained included.
    public var calls: [Call]
    /// The last event's `seq`; 0 when no event was ever stored.
    public var seq: UInt64
    /// The last `ownerSeq` of each owner.
    public var ownerSeqs: [String: UInt64]
    /// The oldest event still kept for replay, or `nil` when none is kept.
    public var oldestRetainedSeq: UInt64?
    /// The number of the last device event; 0 before the first (and in a v1 state file).
    public var deviceSeq: UInt64 = 0
    /// Agent states other than `LoggedOut`, by principal id.
    public var agentStates: [String: AgentState] = [:]
    /// Do-not-disturb settings, by device id.
    public var doNotDisturb: [String: DoNotDisturb] = [:]

    /// Creates a state.
    public init(calls: [Call], seq: UInt64, ownerSeqs: [String: UInt64], oldestRetainedSeq: UInt64?) {
        self.calls = calls
        self.seq = seq
        self.ownerSeqs = ownerSeqs
        self.oldestRetainedSeq = oldestRetainedSeq
    }
}
