public import Foundation

/// How the bus service runs: where it listens, where it keeps state, how long it keeps things.
///
/// The defaults are the contract's (section 7) and work on a laptop as they are.
public struct BusConfiguration: Sendable {
    /// The SQLite state file (`--state`).
    public var statePath: String
    /// How long a commit waits for another process's lock on the state file (a backup, an
    /// operator's `sqlite3`) before its batch is refused (`--state-busy-timeout`).
    public var stateBusyTimeout: TimeInterval
    /// Where requests are answered (`--request-endpoint`).
    public var requestEndpoint: String
    /// Where events are published (`--events-endpoint`).
    public var eventsEndpoint: String
    /// The base of every `uri` and `deviceUri` (`--public-base-url`).
    public var publicBaseURL: String
    /// How long a released call stays visible (`--released-retention`).
    public var releasedRetention: TimeInterval
    /// How many events are kept for `events.replay` (`--event-history`).
    public var eventHistory: Int
    /// The most events one `events.replay` reply carries; the rest come on request (`more`).
    public var maxReplayEvents: Int
    /// The largest request answered normally; a larger one is refused with status 2.
    public var maxRequestSize: Int
    /// The largest frame libzmq accepts at all; a peer sending more is disconnected without a
    /// reply, so that no client can make the bus buffer an unbounded frame.
    public var maxFrameSize: Int
    /// Events queued per subscriber before a slow one starts losing them.
    public var publisherHighWaterMark: Int
    /// Requests handled, and committed, together at most: the group-commit size.
    public var maxBatchSize: Int
    /// The bus's own CURVE secret certificate (`--curve-secret-key-file`); `nil` runs without CURVE.
    public var curveSecretKeyFile: String?
    /// The folder of admitted clients' public certificates, each naming its `principal`
    /// (`--curve-clients`); required with ``curveSecretKeyFile``.
    public var curveClientsDirectory: String?
    /// Allows binding beyond loopback without CURVE (`--insecure`).
    public var allowsInsecureBind: Bool
    /// Re-reads the CURVE clients folder on SIGHUP (the executable turns this on).
    public var reloadsOnHangup: Bool
    /// The PostgreSQL database shared by a group of buses (`--database-url`); `nil` keeps the state
    /// in the SQLite file ``statePath`` and runs alone.
    public var databaseURL: String?
    /// How long a standby waits for an active bus that stopped renewing its lease before taking
    /// over (`--lease-timeout`); only with ``databaseURL``.
    public var leaseTimeout: TimeInterval

    /// Creates a configuration; every default is the contract's.
    public init(
        statePath: String = "calls-state.sqlite",
        stateBusyTimeout: TimeInterval = 5,
        requestEndpoint: String = "tcp://127.0.0.1:5555",
        eventsEndpoint: String = "tcp://127.0.0.1:5556",
        publicBaseURL: String = "http://127.0.0.1:8080",
        releasedRetention: TimeInterval = 60,
        eventHistory: Int = 100_000,
        maxReplayEvents: Int = 1_000,
        maxRequestSize: Int = 1 << 20,
        maxFrameSize: Int = 16 << 20,
        publisherHighWaterMark: Int = 10_000,
        maxBatchSize: Int = 256,
        curveSecretKeyFile: String? = nil,
        curveClientsDirectory: String? = nil,
        allowsInsecureBind: Bool = false,
        reloadsOnHangup: Bool = false,
        databaseURL: String? = nil,
        leaseTimeout: TimeInterval = 3
    ) {
        self.statePath = statePath
        self.stateBusyTimeout = stateBusyTimeout
        self.requestEndpoint = requestEndpoint
        self.eventsEndpoint = eventsEndpoint
        self.publicBaseURL = publicBaseURL
        self.releasedRetention = releasedRetention
        self.eventHistory = eventHistory
        self.maxReplayEvents = max(1, maxReplayEvents)
        self.maxRequestSize = maxRequestSize
        self.maxFrameSize = maxFrameSize
        self.publisherHighWaterMark = publisherHighWaterMark
        self.maxBatchSize = maxBatchSize
        self.curveSecretKeyFile = curveSecretKeyFile
        self.curveClientsDirectory = curveClientsDirectory
        self.allowsInsecureBind = allowsInsecureBind
        self.reloadsOnHangup = reloadsOnHangup
        self.databaseURL = databaseURL
        self.leaseTimeout = leaseTimeout
    }
}
