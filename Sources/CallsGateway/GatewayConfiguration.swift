public import CallsBusClient
public import CallsCometD

/// How the gateway runs: where it listens, how it reaches the bus, its limits.
public struct GatewayConfiguration: Sendable {
    /// The host to listen on.
    public var host: String
    /// The port to listen on; 0 picks a free one.
    public var port: Int
    /// The bus's endpoints and the request timeout (the contract's bus timeout, default 2 s).
    public var bus: BusClientConfiguration
    /// The largest request body accepted.
    public var maxBodySize: Int
    /// How long a successful Basic authentication is remembered, so bcrypt is not paid per request.
    public var credentialCacheLifetime: Duration
    /// How often an idle event stream gets a `: keep-alive` comment (`--keep-alive`), so that a
    /// proxy does not close it and a client that vanished is noticed.
    public var eventStreamKeepAlive: Duration
    /// How long a connection may stay silent (`--idle-timeout`): before a request's head is
    /// complete (a half-sent request), between body bytes, and between requests. A response in
    /// progress, such as an event stream, is never cut by it.
    public var idleTimeout: Duration
    /// Event streams open at once in all (`--max-streams`); one more is answered 503.
    public var maxEventStreams: Int
    /// Event streams open at once for one user (`--max-streams-per-user`); one more is answered 429.
    public var maxEventStreamsPerUser: Int
    /// The PEM certificate chain to serve HTTPS with (`--tls-certificate`); `nil` serves plain HTTP.
    public var tlsCertificateFile: String?
    /// The PEM private key of ``tlsCertificateFile`` (`--tls-key`).
    public var tlsKeyFile: String?
    /// Allows listening beyond loopback without TLS (`--insecure`).
    public var allowsInsecureListen: Bool
    /// Threads that run bcrypt, away from the threads that answer requests.
    public var loginThreads: Int
    /// Logins that may wait for a bcrypt thread; one more is answered 503 at once.
    public var maxQueuedLogins: Int
    /// Failed logins from one client address before it is slowed down (`--login-failures`).
    public var loginFailuresBeforeDelay: Int
    /// How long an address waits after its first failure beyond ``loginFailuresBeforeDelay``;
    /// each further failure doubles it, up to ``maxLoginDelay``.
    public var loginDelay: Duration
    /// The longest wait imposed on an address.
    public var maxLoginDelay: Duration
    /// A file of at least 32 random bytes that signs wallboard sessions (`--session-key-file`), so
    /// that they survive a restart; `nil` draws a key at start.
    public var sessionKeyFile: String?
    /// How long a wallboard sign-in lasts (`--session-lifetime`, seconds).
    public var sessionLifetime: Duration = .seconds(8 * 3600)
    /// The CometD notifications endpoint's timeouts and bounds (`--cometd-…`).
    public var cometD: CometDConfiguration

    /// Creates a configuration; the defaults are the contract's.
    public init(
        host: String = "127.0.0.1",
        port: Int = 8080,
        bus: BusClientConfiguration = BusClientConfiguration(),
        maxBodySize: Int = 64 * 1024,
        credentialCacheLifetime: Duration = .seconds(60),
        eventStreamKeepAlive: Duration = .seconds(15),
        idleTimeout: Duration = .seconds(15),
        maxEventStreams: Int = 500,
        maxEventStreamsPerUser: Int = 8,
        tlsCertificateFile: String? = nil,
        tlsKeyFile: String? = nil,
        allowsInsecureListen: Bool = false,
        loginThreads: Int = 1,
        maxQueuedLogins: Int = 8,
        loginFailuresBeforeDelay: Int = 5,
        loginDelay: Duration = .seconds(1),
        maxLoginDelay: Duration = .seconds(60),
        cometD: CometDConfiguration = CometDConfiguration()
    ) {
        self.host = host
        self.port = port
        self.bus = bus
        self.maxBodySize = maxBodySize
        self.credentialCacheLifetime = credentialCacheLifetime
        self.eventStreamKeepAlive = eventStreamKeepAlive
        self.idleTimeout = idleTimeout
        self.maxEventStreams = maxEventStreams
        self.maxEventStreamsPerUser = maxEventStreamsPerUser
        self.tlsCertificateFile = tlsCertificateFile
        self.tlsKeyFile = tlsKeyFile
        self.allowsInsecureListen = allowsInsecureListen
        self.loginThreads = loginThreads
        self.maxQueuedLogins = maxQueuedLogins
        self.loginFailuresBeforeDelay = loginFailuresBeforeDelay
        self.loginDelay = loginDelay
        self.maxLoginDelay = maxLoginDelay
        self.sessionKeyFile = nil
        self.cometD = cometD
    }

    /// `true` when nothing beyond this machine can reach ``host``: `127.0.0.0/8`, `localhost` or `::1`.
    public var listensOnLoopbackOnly: Bool {
        let host = host.lowercased()
        return host == "localhost" || host == "::1" || host.hasPrefix("127.")
    }

    /// `HOST:PORT` as a user writes it (an IPv6 host in brackets).
    public var listenAddress: String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }
}
