/// How long and how big each scenario is.
///
/// Every load loop is bounded twice, by ``duration`` and by a count, so a run ends by itself even
/// when the machine is much faster or slower than expected.
public struct BenchSettings: Sendable, Encodable {
    private enum CodingKeys: String, CodingKey {
        // Not the PostgreSQL URL: it may hold a password.
        case duration, isQuick
    }

    /// Seconds of measurement per scenario (`--duration`).
    public var duration: Double
    /// Tiny sizes and durations, for a smoke test (`--quick`).
    public var isQuick: Bool
    /// The CometD fan-out's sizes: sessions held at once (`cometd --sessions`).
    public var cometdSessions: [Int] = [500, 1_000, 2_000, 5_000]
    /// Telephony events per second during the fan-out (`cometd --rate`).
    public var cometdEventRate: Double = 200
    /// Seconds of events per fan-out size (`cometd --seconds`).
    public var cometdSeconds: Double = 10
    /// A PostgreSQL server (`--postgres-url`, as a user allowed to create databases): each
    /// PostgreSQL scenario makes a fresh database of its own there; `nil` skips them.
    public var postgresURL: String?
    /// Takeovers after `kill -9` in the group benchmark (`group --kills`).
    public var groupKills = 10

    /// Creates settings.
    /// - Parameters:
    ///   - duration: seconds of measurement per scenario.
    ///   - isQuick: shrink every size so the whole run takes seconds.
    ///   - postgresURL: a PostgreSQL server whose user may create databases; `nil` skips the
    ///     PostgreSQL scenarios.
    public init(duration: Double = 3, isQuick: Bool = false, postgresURL: String? = nil) {
        self.duration = duration
        self.isQuick = isQuick
        if isQuick { (cometdSessions, cometdEventRate, cometdSeconds, groupKills) = ([5], 20, 1, 2) }
        self.postgresURL = postgresURL
    }

    /// The measured time of one scenario, in seconds; a quick run caps it at a quarter second.
    var scenarioSeconds: Double { isQuick ? min(duration, 0.25) : duration }

    /// Telephony events applied by the registry scenario (half Ringing, half Established).
    var registryEvents: Int { isQuick ? 4_000 : 100_000 }
    /// Distinct numbers looked up cold by the enricher scenario, at most.
    var enricherNumbers: Int { isQuick ? 300 : 20_000 }
    /// Calls the bus is preloaded with for `calls.get`.
    var preloadedCalls: Int { isQuick ? 100 : 1_000 }
    /// Calls in the state file of the `calls-bus` program measured from outside.
    var outsideCalls: Int { isQuick ? 1_000 : 10_000 }
    /// Calls written to the state file before the startup scenario.
    var startupCalls: Int { isQuick ? 2_000 : 100_000 }
    /// Requests one load shape may send in all, at most.
    var maxRequestsPerShape: Int { isQuick ? 5_000 : 3_000_000 }
    /// Telephony events the publishing scenario may send, at most.
    var maxPublishedEvents: Int { isQuick ? 2_000 : 400_000 }
    /// Calls each bus of the store comparison is given before measuring.
    var groupSeedCalls: Int { isQuick ? 100 : 1_000 }
    /// Telephony events the event-latency scenario may send, at most.
    var maxLatencyEvents: Int { isQuick ? 200 : 20_000 }
}
