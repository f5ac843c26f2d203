/// Where Kamailio is, whom the adapter speaks for on the bus, and how it retries.
public struct KamailioAdapterConfiguration: Sendable {
    /// Kamailio's evapi server (`bind_addr` of the `evapi` module), host.
    public var evapiHost: String
    /// Kamailio's evapi server, port.
    public var evapiPort: Int
    /// Kamailio's `jsonrpcs` FIFO (`fifo_name`).
    public var rpcFIFO: String
    /// The module's `fifo_reply_dir`, where the reply FIFOs are made.
    public var rpcReplyDirectory: String
    /// How long an RPC reply may take.
    public var rpcTimeout: Duration
    /// The `Telephony` principal that reports the events (contract section 3).
    public var telephonyUser: String
    /// A principal that sees every call (`ContactCenterAdmin`): `calls.list` at resynchronisation and
    /// the event stream that tells the adapter about REST `Hangup`s are read as this user, since a
    /// `Telephony` principal sees no call.
    public var observerUser: String
    /// The first wait before reconnecting to Kamailio or the bus; it doubles up to ``maximumBackoff``.
    public var minimumBackoff: Duration
    /// The longest wait between reconnections.
    public var maximumBackoff: Duration

    /// Creates a configuration; the defaults match `deploy/kamailio/kamailio.cfg` on one host.
    public init(
        evapiHost: String = "127.0.0.1", evapiPort: Int = 8448,
        rpcFIFO: String = "/run/kamailio/kamailio_rpc.fifo", rpcReplyDirectory: String = "/run/calls-kamailio",
        rpcTimeout: Duration = .seconds(2), telephonyUser: String = "switch-1", observerUser: String = "admin",
        minimumBackoff: Duration = .milliseconds(100), maximumBackoff: Duration = .seconds(5)
    ) {
        self.evapiHost = evapiHost
        self.evapiPort = evapiPort
        self.rpcFIFO = rpcFIFO
        self.rpcReplyDirectory = rpcReplyDirectory
        self.rpcTimeout = rpcTimeout
        self.telephonyUser = telephonyUser
        self.observerUser = observerUser
        self.minimumBackoff = minimumBackoff
        self.maximumBackoff = maximumBackoff
    }
}
