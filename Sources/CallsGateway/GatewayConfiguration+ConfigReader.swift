import CallsBusClient
import CallsCometD
public import Configuration
import Foundation

extension GatewayConfiguration {
    /// Reads the configuration, every key optional, relative to `reader`'s scope.
    ///
    /// Keys (a Main scopes its reader to `calls`, so the environment variables are the contract's
    /// `CALLS_LISTEN`, `CALLS_REQUEST_ENDPOINT`…):
    /// - `listen` (`HOST:PORT`, default `127.0.0.1:8080`): where the HTTP server listens.
    /// - the bus client's keys, read by ``CallsBusClient/BusClientConfiguration/init(reader:timeoutKey:maximumTimeout:)``:
    ///   `requestEndpoint`, `eventsEndpoint`, `busTimeout` (seconds, > 0, default 2: how long a bus
    ///   request may take before a 503), `curveSecretKeyFile` and `curveServerKeyFile`.
    /// - `keepAlive` (seconds, > 0, default 15): how often an idle event stream gets a keep-alive comment.
    /// - `idleTimeout` (seconds, > 0, default 15): how long a connection may stay silent before it
    ///   is closed: a half-sent request, or an idle keep-alive connection (never a response in progress).
    /// - `maxStreams` (whole number >= 1, default 500): event streams open at once in all; beyond, 503.
    /// - `maxStreamsPerUser` (whole number >= 1, default 8): event streams open at once for one user;
    ///   beyond, 429.
    /// - `tlsCertificate` (path, optional): a PEM certificate chain; with `tlsKey`, the gateway serves HTTPS.
    /// - `tlsKey` (path, optional): the PEM private key of `tlsCertificate`.
    /// - `insecure` (bool, default false): allow listening beyond loopback without TLS.
    /// - `sessionKeyFile` (path, optional): signs wallboard sessions, so that they survive a restart.
    /// - `sessionLifetime` (seconds, default 28800): how long a wallboard sign-in lasts.
    /// - `loginFailures` (whole number >= 0, default 5): failed logins from one client address
    ///   before it is locked out for 1 s, doubling per further failure up to 60 s.
    /// - `cometdConnectTimeout` (seconds, > 0, default 30): how long a CometD `/meta/connect` is held.
    /// - `cometdSessionTimeout` (seconds, > 0, default 15): how long a CometD session lives without a connect.
    /// - `cometdMaxQueue` (whole number >= 1, default 10000): messages one CometD session may hold;
    ///   one more ends the session.
    /// - `cometdMaxSessions` (whole number >= 1, default 10000): CometD sessions open at once in all.
    /// - `cometdMaxSessionsPerUser` (whole number >= 1, default 16): CometD sessions open at once per user.
    /// - Throws: ``GatewayConfigurationError`` naming the flag when a value is present but not valid.
    public init(reader: ConfigReader) throws(GatewayConfigurationError) {
        self.init()
        do {
            try read(reader)
        } catch {
            throw GatewayConfigurationError(key: error.flag, message: error.message)
        }
    }

    private mutating func read(_ reader: ConfigReader) throws(ConfigurationValueError) {
        if let listen = reader.text("listen") {
            guard let colon = listen.lastIndex(of: ":"), let port = Int(listen[listen.index(after: colon)...]),
                (0...65535).contains(port), colon != listen.startIndex
            else {
                throw ConfigurationValueError(key: "listen", message: "must be HOST:PORT, such as 127.0.0.1:8080")
            }
            host = String(listen[..<colon]).trimmingCharacters(in: ["[", "]"])
            self.port = port
        }
        bus = try BusClientConfiguration(reader: reader, timeoutKey: "busTimeout")
        if let keepAlive = try reader.seconds("keepAlive") { eventStreamKeepAlive = keepAlive }
        if let timeout = try reader.seconds("idleTimeout") { idleTimeout = timeout }
        if let count = try reader.count("maxStreams", minimum: 1) { maxEventStreams = count }
        if let count = try reader.count("maxStreamsPerUser", minimum: 1) { maxEventStreamsPerUser = count }
        if let (certificate, key) = try reader.pair("tlsCertificate", "tlsKey", purpose: "TLS") {
            tlsCertificateFile = certificate
            tlsKeyFile = key
        }
        if let flag = try reader.flag("insecure") { allowsInsecureListen = flag }
        if let failures = try reader.count("loginFailures", minimum: 0) { loginFailuresBeforeDelay = failures }
        if let file = reader.text("sessionKeyFile") { sessionKeyFile = file }
        if let lifetime = try reader.seconds("sessionLifetime") { sessionLifetime = lifetime }
        if let timeout = try reader.seconds("cometdConnectTimeout") { cometD.connectTimeout = timeout }
        if let timeout = try reader.seconds("cometdSessionTimeout") { cometD.sessionTimeout = timeout }
        if let count = try reader.count("cometdMaxQueue", minimum: 1) { cometD.maxQueuedMessages = count }
        if let count = try reader.count("cometdMaxSessions", minimum: 1) { cometD.maxSessions = count }
        if let count = try reader.count("cometdMaxSessionsPerUser", minimum: 1) { cometD.maxSessionsPerUser = count }
    }
}

/// A configuration value that is present but unusable.
public struct GatewayConfigurationError: Error, Sendable, CustomStringConvertible {
    /// The flag's name, without dashes (`bus-timeout`).
    public var key: String
    /// What the value must be.
    public var message: String

    /// Creates an error.
    public init(key: String, message: String) {
        self.key = key
        self.message = message
    }

    public var description: String { "--\(key) \(message)" }
}
