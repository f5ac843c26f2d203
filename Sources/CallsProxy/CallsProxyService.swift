public import Calls
public import Logging
public import ServiceLifecycle
import ZMQ

/// `calls-proxy`: one XSUB connected to the events socket of every bus of a group, one XPUB bound
/// for subscribers, joined by libzmq's proxy on a thread of its own.
///
/// Subscriptions travel up to the bus by themselves and events come down unchanged (topic and
/// body frames), so a client following the contract's resync recipe works through the proxy as it
/// does against the bus: it still asks the bus itself for `events.replay`. A subscriber slower than
/// its high-water mark loses events (and fills the gap by replay); it never slows the proxy.
public final class CallsProxyService: Service, Sendable {
    /// How the proxy runs.
    public let configuration: ProxyConfiguration
    private let directory: Directory?
    private let logger: Logger
    private let stop: Mailbox<Void>
    private let ready = ReadySignal<String>()

    /// The in-process endpoint of the proxy's control socket.
    static let controlEndpoint = "inproc://calls-proxy-control"

    /// Creates the service; nothing binds until ``run()``.
    /// - Parameters:
    ///   - configuration: the endpoints, certificates and queue sizes.
    ///   - directory: the principals that certificates of the clients folder name; required with `curveClients`.
    ///   - logger: where the proxy says what it does.
    /// - Throws: when the process is out of file descriptors.
    public init(configuration: ProxyConfiguration, directory: Directory?, logger: Logger) throws {
        self.configuration = configuration
        self.directory = directory
        self.logger = logger
        stop = try Mailbox()
    }

    /// The endpoint the XPUB bound (with the real port for `tcp://…:*`), once it is bound.
    /// - Throws: the error that stopped the proxy from starting.
    public func endpoint() async throws -> String { try await ready.value() }

    /// Runs the proxy until graceful shutdown or cancellation.
    /// - Throws: ``ProxyError`` for unusable certificates or an endpoint it may not bind, ``ZMQ/ZMQError`` from the sockets.
    public func run() async throws {
        do {
            try await serve()
        } catch {
            ready.resolve(.failure(error))
            throw error
        }
    }

    private func serve() async throws {
        let security = try ProxySecurity(configuration: configuration, directory: directory, logger: logger)
        if security.towardsSubscribers == nil, !configuration.insecure, !Endpoint(configuration.endpoint).isLoopback {
            throw ProxyError(
                code: .insecureBind,
                message: """
                    refusing to bind \(configuration.endpoint) beyond loopback without CURVE: give \
                    --curve-clients and a certificate to present, or pass --insecure to bind without encryption anyway
                    """)
        }
        let context = try Context()
        let (configuration, logger, stop, ready) = (configuration, logger, stop, ready)
        try await withGracefulShutdownHandler {
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                if let gate = security.towardsSubscribers?.gate {
                    let gateReady = ReadySignal<Void>()
                    tasks.addTask {
                        try await SocketLoop.run(name: "calls-proxy-zap", onCancel: { context.shutdown() }) {
                            let handler: ZAPHandler
                            do {
                                handler = try ZAPHandler(context: context, decide: gate.decide)
                            } catch {
                                gateReady.resolve(.failure(error))
                                throw error
                            }
                            gateReady.resolve(.success(()))
                            try handler.serve()
                        }
                    }
                    // Without a handler, libzmq would admit every CURVE client: bind it before the XPUB.
                    try await gateReady.value()
                }
                tasks.addTask {
                    try await SocketLoop.run(name: "calls-proxy", onCancel: { context.shutdown() }) {
                        // Ending the proxy ends the ZAP handler and the controller too.
                        defer { context.shutdown() }
                        let loop = try ProxyLoop(
                            configuration: configuration, security: security, context: context, logger: logger)
                        ready.resolve(.success(loop.boundEndpoint))
                        try loop.run()
                    }
                }
                tasks.addTask {
                    try await SocketLoop.run(name: "calls-proxy-control", onCancel: { context.shutdown() }) {
                        try ProxyController(
                            context: context, interval: configuration.statisticsInterval, logger: logger
                        )
                        .run(stop: stop)
                    }
                }
                try await tasks.waitForAll()
            }
        } onGracefulShutdown: {
            stop.post(())
        }
        logger.notice("proxy stopped")
    }
}
