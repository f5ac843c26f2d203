import Logging
import ZMQ

/// The proxy's sockets, made and used on the proxy's thread: the XSUB towards the buses, the XPUB
/// towards subscribers and the control PAIR.
final class ProxyLoop {
    private let frontend: Socket
    private let backend: Socket
    private let control: Socket
    private let logger: Logger
    /// What the XPUB bound, with the real port.
    let boundEndpoint: String

    /// Connects to every bus and binds for subscribers.
    /// - Throws: ``ZMQ/ZMQError`` for an endpoint that cannot be connected or bound.
    init(configuration: ProxyConfiguration, security: ProxySecurity, context: Context, logger: Logger) throws {
        self.logger = logger
        frontend = try Socket(.extendedSubscriber, context: context)
        try frontend.set(.receiveHighWaterMark, configuration.receiveHighWaterMark)
        // Heartbeats notice a bus that died without closing its connection; the XSUB then reconnects
        // and sends its subscriptions again, to whichever bus binds next.
        try frontend.set(.heartbeatInterval, .seconds(1))
        try frontend.set(.heartbeatTimeout, .seconds(3))
        try frontend.set(.reconnectInterval, .milliseconds(100))
        try frontend.set(.reconnectIntervalMax, .seconds(1))
        if let towardsBus = security.towardsBus {
            try frontend.set(.curveServerKey, towardsBus.busKey)
            try frontend.set(.curvePublicKey, towardsBus.keys.publicKey)
            try frontend.set(.curveSecretKey, towardsBus.keys.secretKey)
        }
        for endpoint in configuration.busEndpoints { try frontend.connect(endpoint) }

        backend = try Socket(.extendedPublisher, context: context)
        // XPUB drops what a subscriber cannot take beyond this: a slow subscriber loses events
        // (and fills the gap by replay), the proxy never waits for it.
        try backend.set(.sendHighWaterMark, configuration.sendHighWaterMark)
        try backend.set(.heartbeatInterval, .seconds(1))
        try backend.set(.heartbeatTimeout, .seconds(3))
        if let towardsSubscribers = security.towardsSubscribers {
            try backend.set(.curveServer, true)
            try backend.set(.curveSecretKey, towardsSubscribers.keys.secretKey)
            try backend.set(.zapDomain, SubscriberGate.domain)
        }
        boundEndpoint = try backend.bind(configuration.endpoint)

        control = try Socket(.pair, context: context)
        try control.bind(CallsProxyService.controlEndpoint)
        logger.notice(
            "proxy started",
            metadata: [
                "proxy.endpoint": "\(boundEndpoint)",
                "proxy.bus.endpoints": "\(configuration.busEndpoints.joined(separator: ","))",
                "proxy.curve.bus": "\(security.towardsBus != nil)",
                "proxy.curve.subscribers": "\(security.towardsSubscribers.map { "\($0.gate.count) keys" } ?? "off")",
                "proxy.hwm.send": "\(configuration.sendHighWaterMark)",
            ])
    }

    /// Moves events and subscriptions until the controller says `TERMINATE` or the context shuts down.
    /// - Throws: ``ZMQ/ZMQError`` other than "terminated".
    func run() throws {
        do {
            try Proxy.run(frontend: frontend, backend: backend, control: control)
        } catch {
            if error.isTerminated { return }
            logger.error("proxy failed", metadata: ["zmq.errno": "\(error.errno)", "error": "\(error)"])
            throw error
        }
    }
}
