public import CallsBusMessages

/// Where `calls-proxy` takes events from, where it hands them out, and how it guards both sides.
public struct ProxyConfiguration: Sendable {
    /// The events endpoints of the buses it subscribes to (every bus of a group); its XSUB connects to each.
    public var busEndpoints: [String]
    /// The endpoint its XPUB binds, where subscribers connect.
    public var endpoint: String
    /// The proxy's CURVE secret certificate (zcert): its identity towards the bus, and towards
    /// subscribers unless ``curvePublishSecretKeyFile`` is given.
    public var curveSecretKeyFile: String?
    /// The secret certificate the proxy presents to its subscribers; the bus's own, so that clients of
    /// the group know one server key for requests and events alike.
    public var curvePublishSecretKeyFile: String?
    /// The bus's public certificate; with ``curveSecretKeyFile``, the proxy is a CURVE client of the bus.
    public var curveServerKeyFile: String?
    /// Folder of admitted subscribers' public certificates (each naming a `principal`); with
    /// ``curveSecretKeyFile``, the proxy is a CURVE server to its subscribers.
    public var curveClients: String?
    /// Allows binding beyond loopback without CURVE towards subscribers (`--insecure`).
    public var insecure: Bool
    /// Events queued per subscriber before a slow one starts losing them (it then fills the gap from
    /// `events.replay`); the proxy itself never waits for a subscriber.
    public var sendHighWaterMark: Int
    /// Events queued from each bus before the proxy drops them.
    public var receiveHighWaterMark: Int
    /// How often the proxy logs what it moved.
    public var statisticsInterval: Duration

    /// The endpoint a proxy binds unless told otherwise: the port after the bus's events socket.
    public static let defaultEndpoint = "tcp://127.0.0.1:5557"

    /// Creates a configuration; the defaults suit a proxy beside one bus on this machine.
    public init(
        busEndpoints: [String] = [DefaultEndpoint.events],
        endpoint: String = Self.defaultEndpoint,
        curveSecretKeyFile: String? = nil,
        curvePublishSecretKeyFile: String? = nil,
        curveServerKeyFile: String? = nil,
        curveClients: String? = nil,
        insecure: Bool = false,
        sendHighWaterMark: Int = 100_000,
        receiveHighWaterMark: Int = 1_000_000,
        statisticsInterval: Duration = .seconds(60)
    ) {
        self.busEndpoints = busEndpoints
        self.endpoint = endpoint
        self.curveSecretKeyFile = curveSecretKeyFile
        self.curvePublishSecretKeyFile = curvePublishSecretKeyFile
        self.curveServerKeyFile = curveServerKeyFile
        self.curveClients = curveClients
        self.insecure = insecure
        self.sendHighWaterMark = sendHighWaterMark
        self.receiveHighWaterMark = receiveHighWaterMark
        self.statisticsInterval = statisticsInterval
    }
}
