public import CallsBusClient

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

    /// Creates a configuration; the defaults are the contract's.
    public init(
        host: String = "127.0.0.1",
        port: Int = 8080,
        bus: BusClientConfiguration = BusClientConfiguration(),
        maxBodySize: Int = 64 * 1024,
        credentialCacheLifetime: Duration = .seconds(60),
        eventStreamKeepAlive: Duration = .seconds(15)
    ) {
        self.host = host
        self.port = port
        self.bus = bus
        self.maxBodySize = maxBodySize
        self.credentialCacheLifetime = credentialCacheLifetime
        self.eventStreamKeepAlive = eventStreamKeepAlive
    }
}
