/// Counts of the notifications endpoint, for the gateway's metrics.
public struct CometDStatistics: Sendable, Equatable {
    /// Sessions open now.
    public var sessions: Int
    /// Messages held by all sessions now (queued, waiting for a replay, or not yet acknowledged).
    public var queuedMessages: Int
    /// Sessions ended because no connect came in time, since start.
    public var expiries: Int
    /// Sessions ended because their queue overflowed, since start.
    public var overflows: Int
    /// Handshakes refused at a session cap, since start.
    public var refusals: Int

    /// Creates a set of counts.
    public init(sessions: Int = 0, queuedMessages: Int = 0, expiries: Int = 0, overflows: Int = 0, refusals: Int = 0) {
        self.sessions = sessions
        self.queuedMessages = queuedMessages
        self.expiries = expiries
        self.overflows = overflows
        self.refusals = refusals
    }
}
