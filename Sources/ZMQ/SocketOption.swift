internal import CZMQ

/// A typed ZeroMQ socket option: `try socket.set(.receiveHighWaterMark, 10_000)`.
///
/// Durations are sent to libzmq in whole milliseconds; `nil` where the value is optional means
/// "infinite" (timeouts, linger) or "no limit" (maximum message size). Options that libzmq
/// only accepts for writing (``subscribe``, ``routerMandatory``…) fail with
/// ``ZMQError/Code/invalidArgument`` when read.
public struct SocketOption<Value>: Sendable {
    let name: Int32
    let encoding: Encoding

    enum Encoding: Sendable {
        case int32
        case int64
        case bool
        case milliseconds
        case optionalMilliseconds
        case optionalInt64
        case bytes
        case string
        case curveKey
    }
}

extension SocketOption where Value == Duration {
    /// How long a closing socket keeps trying to send queued messages (`ZMQ_LINGER`).
    public static var linger: Self { .init(name: ZMQ_LINGER, encoding: .milliseconds) }
    /// Time between ZMTP heartbeat PINGs; zero turns heartbeats off (`ZMQ_HEARTBEAT_IVL`).
    public static var heartbeatInterval: Self { .init(name: ZMQ_HEARTBEAT_IVL, encoding: .milliseconds) }
    /// How long to wait for a PONG before closing the connection (`ZMQ_HEARTBEAT_TIMEOUT`).
    public static var heartbeatTimeout: Self { .init(name: ZMQ_HEARTBEAT_TIMEOUT, encoding: .milliseconds) }
    /// How long the peer should wait for traffic before it drops us; deciseconds (`ZMQ_HEARTBEAT_TTL`).
    public static var heartbeatTimeToLive: Self { .init(name: ZMQ_HEARTBEAT_TTL, encoding: .milliseconds) }
    /// First delay before reconnecting after a lost connection (`ZMQ_RECONNECT_IVL`).
    public static var reconnectInterval: Self { .init(name: ZMQ_RECONNECT_IVL, encoding: .milliseconds) }
    /// Upper bound of the reconnect back-off; zero keeps the interval fixed (`ZMQ_RECONNECT_IVL_MAX`).
    public static var reconnectIntervalMax: Self { .init(name: ZMQ_RECONNECT_IVL_MAX, encoding: .milliseconds) }
    /// How long a ZMTP handshake may take before the connection is dropped (`ZMQ_HANDSHAKE_IVL`).
    public static var handshakeInterval: Self { .init(name: ZMQ_HANDSHAKE_IVL, encoding: .milliseconds) }
}

extension SocketOption where Value == Duration? {
    /// How long a blocking send waits; `nil` waits forever (`ZMQ_SNDTIMEO`).
    public static var sendTimeout: Self { .init(name: ZMQ_SNDTIMEO, encoding: .optionalMilliseconds) }
    /// How long a blocking receive waits; `nil` waits forever (`ZMQ_RCVTIMEO`).
    public static var receiveTimeout: Self { .init(name: ZMQ_RCVTIMEO, encoding: .optionalMilliseconds) }
}

extension SocketOption where Value == Int {
    /// Messages queued for sending per peer before the socket blocks or drops (`ZMQ_SNDHWM`).
    public static var sendHighWaterMark: Self { .init(name: ZMQ_SNDHWM, encoding: .int32) }
    /// Messages queued on receipt per peer (`ZMQ_RCVHWM`).
    public static var receiveHighWaterMark: Self { .init(name: ZMQ_RCVHWM, encoding: .int32) }
}

extension SocketOption where Value == Int? {
    /// The largest inbound message accepted; a peer sending more is disconnected (`ZMQ_MAXMSGSIZE`).
    public static var maxMessageSize: Self { .init(name: ZMQ_MAXMSGSIZE, encoding: .optionalInt64) }
}

extension SocketOption where Value == Bool {
    /// Queue messages only to completed connections (`ZMQ_IMMEDIATE`).
    public static var immediate: Self { .init(name: ZMQ_IMMEDIATE, encoding: .bool) }
    /// A ROUTER fails with ``ZMQError/Code/hostUnreachable`` instead of dropping (`ZMQ_ROUTER_MANDATORY`).
    public static var routerMandatory: Self { .init(name: ZMQ_ROUTER_MANDATORY, encoding: .bool) }
    /// Act as a CURVE server: this socket holds the long-term secret (`ZMQ_CURVE_SERVER`).
    public static var curveServer: Self { .init(name: ZMQ_CURVE_SERVER, encoding: .bool) }
    /// An XPUB passes every subscription upstream, repeats included (`ZMQ_XPUB_VERBOSE`).
    public static var extendedPublisherVerbose: Self { .init(name: ZMQ_XPUB_VERBOSE, encoding: .bool) }
    /// Accept IPv6 as well as IPv4 on TCP (`ZMQ_IPV6`).
    public static var ipv6: Self { .init(name: ZMQ_IPV6, encoding: .bool) }
    /// `true` when the last frame received has more frames after it (`ZMQ_RCVMORE`, read only).
    public static var receiveMore: Self { .init(name: ZMQ_RCVMORE, encoding: .bool) }
}

extension SocketOption where Value == [UInt8] {
    /// The identity a ROUTER peer sees for this socket (`ZMQ_ROUTING_ID`), 1 to 255 bytes.
    public static var routingId: Self { .init(name: ZMQ_ROUTING_ID, encoding: .bytes) }
    /// The frame an XPUB sends to each new subscriber (`ZMQ_XPUB_WELCOME_MSG`, write only).
    public static var welcomeMessage: Self { .init(name: ZMQ_XPUB_WELCOME_MSG, encoding: .bytes) }
}

extension SocketOption where Value == String {
    /// Receive messages starting with this prefix; `""` means all (`ZMQ_SUBSCRIBE`, write only).
    public static var subscribe: Self { .init(name: ZMQ_SUBSCRIBE, encoding: .string) }
    /// Undo one ``subscribe`` of the same prefix (`ZMQ_UNSUBSCRIBE`, write only).
    public static var unsubscribe: Self { .init(name: ZMQ_UNSUBSCRIBE, encoding: .string) }
    /// The ZAP domain this socket's connections are authenticated in (`ZMQ_ZAP_DOMAIN`).
    public static var zapDomain: Self { .init(name: ZMQ_ZAP_DOMAIN, encoding: .string) }
    /// The endpoint most recently bound or connected, with the real port (`ZMQ_LAST_ENDPOINT`).
    public static var lastEndpoint: Self { .init(name: ZMQ_LAST_ENDPOINT, encoding: .string) }
}

extension SocketOption where Value == CurveKey {
    /// This socket's long-term public key (`ZMQ_CURVE_PUBLICKEY`).
    public static var curvePublicKey: Self { .init(name: ZMQ_CURVE_PUBLICKEY, encoding: .curveKey) }
    /// This socket's long-term secret key (`ZMQ_CURVE_SECRETKEY`).
    public static var curveSecretKey: Self { .init(name: ZMQ_CURVE_SECRETKEY, encoding: .curveKey) }
    /// The server's public key, which a CURVE client must know (`ZMQ_CURVE_SERVERKEY`).
    public static var curveServerKey: Self { .init(name: ZMQ_CURVE_SERVERKEY, encoding: .curveKey) }
}
