/// How the notifications endpoint holds, keeps and bounds its sessions (contract section 9).
public struct CometDConfiguration: Sendable {
    /// How long a `/meta/connect` is held when nothing is queued (the handshake's `advice.timeout`).
    public var connectTimeout: Duration
    /// How long a session lives after its last connect reply without a new `/meta/connect`.
    public var sessionTimeout: Duration
    /// Messages one session may hold (queued and not yet acknowledged); one more ends the session.
    public var maxQueuedMessages: Int
    /// Sessions open at once in all; a handshake beyond is refused.
    public var maxSessions: Int
    /// Sessions open at once for one user; a handshake beyond is refused.
    public var maxSessionsPerUser: Int
    /// The largest request body accepted; a larger one is answered 400.
    public var maxBodySize: Int
    /// How long to wait before following the bus again after it stopped answering.
    public var busRetryDelay: Duration

    /// Creates a configuration; the defaults are the contract's.
    public init(
        connectTimeout: Duration = .seconds(30),
        sessionTimeout: Duration = .seconds(15),
        maxQueuedMessages: Int = 10_000,
        maxSessions: Int = 10_000,
        maxSessionsPerUser: Int = 16,
        maxBodySize: Int = 64 * 1024,
        busRetryDelay: Duration = .seconds(1)
    ) {
        self.connectTimeout = connectTimeout
        self.sessionTimeout = sessionTimeout
        self.maxQueuedMessages = maxQueuedMessages
        self.maxSessions = maxSessions
        self.maxSessionsPerUser = maxSessionsPerUser
        self.maxBodySize = maxBodySize
        self.busRetryDelay = busRetryDelay
    }
}
