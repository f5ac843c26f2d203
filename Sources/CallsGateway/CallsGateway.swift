public import Calls
public import CallsBusClient
import CallsBusMessages
import CallsCometD
import Crypto
import Foundation
public import Hummingbird
public import Logging

/// The REST gateway: the GWS v2 API (calls, devices, the user and its agent state) translated into
/// bus requests.
public enum CallsGateway {
    /// Builds the application; its bus client and the bcrypt threads run as its services, started
    /// before the HTTP server and stopped after it.
    /// - Parameters:
    ///   - configuration: where to listen and how to reach the bus.
    ///   - directory: the principals and their password hashes, for Basic authentication.
    ///   - bus: the bus client (a service of the application).
    ///   - logger: the application's logger.
    /// - Throws: ``GatewayConfigurationError`` when the TLS files cannot be used, or when the
    ///   configuration would listen beyond loopback without TLS and without ``GatewayConfiguration/allowsInsecureListen``.
    public static func application(
        configuration: GatewayConfiguration,
        directory: Directory,
        bus: CallsBusClient,
        logger: Logger
    ) throws(GatewayConfigurationError) -> some ApplicationProtocol {
        let server = try configuration.serverBuilder()
        let cometD = CometDServer(
            bus: bus, followUser: directory.principals.first(where: \.seesEveryCall)?.id,
            configuration: configuration.cometD, logger: logger)
        let metrics = GatewayMetrics(cometD: cometD)
        let router = Router(context: GatewayRequestContext.self)
        router.add(middleware: MetricsMiddleware(metrics: metrics))
        router.get("healthz") { _, _ in
            do {
                // Any reply proves the bus is up; the user does not need to exist.
                _ = try await bus.send(BusRequest(operation: .listCalls, user: "-healthz-"))
                return Response(
                    status: .ok, headers: [.contentType: "application/json"],
                    body: .init(byteBuffer: ByteBuffer(string: #"{"status":"ok"}"#)))
            } catch {
                return GWSResponse.unavailable("\(error)")
            }
        }
        router.get("metrics") { _, _ in
            Response(
                status: .ok,
                headers: [.contentType: "text/plain; version=0.0.4"],
                body: .init(byteBuffer: ByteBuffer(bytes: metrics.exposition()))
            )
        }
        let verifier = PasswordVerifier(threads: configuration.loginThreads, queue: configuration.maxQueuedLogins)
        let throttle = LoginThrottle(
            policy: .init(
                freeFailures: configuration.loginFailuresBeforeDelay, firstDelay: configuration.loginDelay,
                maxDelay: configuration.maxLoginDelay))
        let credentials = CredentialCache(
            directory: directory, lifetime: configuration.credentialCacheLifetime, verifier: verifier,
            throttle: throttle)
        let sessionKey: SymmetricKey
        do {
            sessionKey = try WallboardSessions.key(fromFile: configuration.sessionKeyFile)
        } catch let error as GatewayConfigurationError {
            throw error
        } catch {
            throw GatewayConfigurationError(key: "session-key-file", message: "cannot be read: \(error)")
        }
        let sessions = WallboardSessions(key: sessionKey, lifetime: configuration.sessionLifetime, directory: directory)
        WallboardRoutes(
            credentials: credentials, sessions: sessions, isSecure: configuration.tlsCertificateFile != nil
        ).register(on: router)
        let api = router.group("api/v2")
            .add(
                middleware: BasicAuthenticationMiddleware(
                    credentials: credentials, sessions: sessions, metrics: metrics))
        let me = api.group("me")
        let streams = EventStreamQuota(
            maxTotal: configuration.maxEventStreams, maxPerUser: configuration.maxEventStreamsPerUser)
        let forwarder = BusForwarder(bus: bus, maxBodySize: configuration.maxBodySize, metrics: metrics)
        CallsRoutes(forwarder: forwarder, keepAlive: configuration.eventStreamKeepAlive, streams: streams)
            .register(on: me)
        let devices = DevicesRoutes(forwarder: forwarder)
        devices.registerOwn(on: me)
        devices.registerAll(on: api.group("devices"))
        UserRoutes(forwarder: forwarder).register(on: me)
        cometD.register(on: api) { $0.principal }
        return Application(
            router: router,
            server: server,
            configuration: .init(
                address: .hostname(configuration.host, port: configuration.port), serverName: "calls-gateway"),
            services: [bus, verifier, cometD],
            logger: logger
        )
    }
}
