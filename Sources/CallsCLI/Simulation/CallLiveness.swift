/// Whether a call is live after an action: what the plan and the tally follow for the other call
/// of a consult pair, which an action on one call may create or release.
struct CallLiveness: Sendable, Hashable {
    /// The call's id in the plan (for a consult call that the bus names, the plan's stand-in).
    var callId: String
    /// Whether it is live (not released) afterwards.
    var isLive: Bool
}
