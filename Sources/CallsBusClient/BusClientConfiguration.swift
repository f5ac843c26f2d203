public import CallsBusMessages

/// Where the bus is and how long to wait for it.
public struct BusClientConfiguration: Sendable {
    /// The bus's request endpoint, or a comma-separated list: every bus of a group (contract section 10).
    /// The client connects to each and is served by whichever binds it (the active bus).
    public var requestEndpoint: String
    /// The bus's events endpoint, or a comma-separated list: every bus of a group, or a `calls-proxy`.
    public var eventsEndpoint: String
    /// How long a request may wait for its reply before it fails as "unavailable".
    public var requestTimeout: Duration
    /// This client's CURVE secret certificate (zcert format); with ``curveServerKeyFile``, turns CURVE on.
    public var curveSecretKeyFile: String?
    /// The bus's public certificate (zcert format).
    public var curveServerKeyFile: String?
    /// Events buffered per subscription before the oldest unread ones are dropped (gaps are then
    /// filled from `events.replay`).
    public var subscriptionBuffer: Int

    /// Creates a configuration; the defaults are the contract's (``CallsBusMessages/DefaultEndpoint``).
    public init(
        requestEndpoint: String = DefaultEndpoint.request,
        eventsEndpoint: String = DefaultEndpoint.events,
        requestTimeout: Duration = .seconds(2),
        subscriptionBuffer: Int = 10_000,
        curveSecretKeyFile: String? = nil,
        curveServerKeyFile: String? = nil
    ) {
        self.requestEndpoint = requestEndpoint
        self.eventsEndpoint = eventsEndpoint
        self.requestTimeout = requestTimeout
        self.subscriptionBuffer = subscriptionBuffer
        self.curveSecretKeyFile = curveSecretKeyFile
        self.curveServerKeyFile = curveServerKeyFile
    }

    /// The request endpoints, one per item of ``requestEndpoint``.
    public var requestEndpoints: [String] { EndpointList.items(requestEndpoint) }

    /// The events endpoints, one per item of ``eventsEndpoint``.
    public var eventsEndpoints: [String] { EndpointList.items(eventsEndpoint) }
}
