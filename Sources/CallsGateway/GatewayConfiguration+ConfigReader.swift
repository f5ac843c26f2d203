import CallsBusClient
public import Configuration
import Foundation

extension GatewayConfiguration {
    /// Reads the configuration, every key optional, relative to `reader`'s scope.
    ///
    /// Keys (a Main scopes its reader to `calls`, so the environment variables are the contract's
    /// `CALLS_LISTEN`, `CALLS_REQUEST_ENDPOINT`…):
    /// - `listen` (`HOST:PORT`, default `127.0.0.1:8080`): where the HTTP server listens.
    /// - `requestEndpoint` (string, default `tcp://127.0.0.1:5555`): the bus's request socket.
    /// - `eventsEndpoint` (string, default `tcp://127.0.0.1:5556`): the bus's events socket.
    /// - `busTimeout` (seconds, > 0, default 2): how long a bus request may take before a 503.
    /// - `keepAlive` (seconds, > 0, default 15): how often an idle event stream gets a keep-alive comment.
    /// - `idleTimeout` (seconds, > 0, default 15): how long a connection may stay silent before it
    ///   is closed: a half-sent request, or an idle keep-alive connection (never a response in progress).
    /// - `maxStreams` (whole number >= 1, default 500): event streams open at once in all; beyond, 503.
    /// - `maxStreamsPerUser` (whole number >= 1, default 8): event streams open at once for one user;
    ///   beyond, 429.
    /// - `tlsCertificate` (path, optional): a PEM certificate chain; with `tlsKey`, the gateway serves HTTPS.
    /// - `tlsKey` (path, optional): the PEM private key of `tlsCertificate`.
    /// - `insecure` (bool, default false): allow listening beyond loopback without TLS.
    /// - `loginFailures` (whole number >= 0, default 5): failed logins from one client address
    ///   before it is locked out for 1 s, doubling per further failure up to 60 s.
    /// - `curveSecretKeyFile` (path, optional): the gateway's own CURVE secret certificate.
    /// - `curveServerKeyFile` (path, optional): the bus's public certificate.
    /// - Throws: ``GatewayConfigurationError`` naming the key when a value is present but not valid.
    public init(reader: ConfigReader) throws(GatewayConfigurationError) {
        self.init()
        if let listen = reader.string(forKey: "listen") {
            guard let colon = listen.lastIndex(of: ":"), let port = Int(listen[listen.index(after: colon)...]),
                (0...65535).contains(port), colon != listen.startIndex
            else {
                throw GatewayConfigurationError(key: "listen", message: "must be HOST:PORT, such as 127.0.0.1:8080")
            }
            host = String(listen[..<colon]).trimmingCharacters(in: ["[", "]"])
            self.port = port
        }
        if let endpoint = reader.string(forKey: "requestEndpoint") { bus.requestEndpoint = endpoint }
        if let endpoint = reader.string(forKey: "eventsEndpoint") { bus.eventsEndpoint = endpoint }
        bus.curveSecretKeyFile = reader.string(forKey: "curveSecretKeyFile")
        bus.curveServerKeyFile = reader.string(forKey: "curveServerKeyFile")
        if (bus.curveSecretKeyFile == nil) != (bus.curveServerKeyFile == nil) {
            throw GatewayConfigurationError(
                key: "curve-secret-key-file",
                message: "and --curve-server-key-file go together: CURVE needs both"
            )
        }
        if let text = reader.string(forKey: "busTimeout") {
            guard let seconds = Double(text), seconds > 0, seconds.isFinite else {
                throw GatewayConfigurationError(key: "bus-timeout", message: "must be a number of seconds above 0")
            }
            bus.requestTimeout = .milliseconds(Int64(seconds * 1000))
        }
        if let keepAlive = try Self.seconds(reader, "keepAlive", flag: "keep-alive") {
            eventStreamKeepAlive = keepAlive
        }
        if let timeout = try Self.seconds(reader, "idleTimeout", flag: "idle-timeout") { idleTimeout = timeout }
        if let count = try Self.count(reader, "maxStreams", flag: "max-streams", minimum: 1) {
            maxEventStreams = count
        }
        if let count = try Self.count(reader, "maxStreamsPerUser", flag: "max-streams-per-user", minimum: 1) {
            maxEventStreamsPerUser = count
        }
        tlsCertificateFile = reader.string(forKey: "tlsCertificate")
        tlsKeyFile = reader.string(forKey: "tlsKey")
        if (tlsCertificateFile == nil) != (tlsKeyFile == nil) {
            throw GatewayConfigurationError(
                key: "tls-certificate", message: "and --tls-key go together: TLS needs both")
        }
        if let text = reader.string(forKey: "insecure") {
            guard let flag = Bool(text.lowercased()) else {
                throw GatewayConfigurationError(key: "insecure", message: "must be true or false")
            }
            allowsInsecureListen = flag
        }
        if let failures = try Self.count(reader, "loginFailures", flag: "login-failures", minimum: 0) {
            loginFailuresBeforeDelay = failures
        }
    }

    /// A number of seconds above 0 under `key`, if present.
    private static func seconds(_ reader: ConfigReader, _ key: String, flag: String) throws(GatewayConfigurationError)
        -> Duration?
    {
        guard let text = reader.string(forKey: ConfigKey(key)) else { return nil }
        guard let seconds = Double(text), seconds > 0, seconds.isFinite else {
            throw GatewayConfigurationError(key: flag, message: "must be a number of seconds above 0")
        }
        return .milliseconds(Int64(seconds * 1000))
    }

    /// A whole number of at least `minimum` under `key`, if present.
    private static func count(_ reader: ConfigReader, _ key: String, flag: String, minimum: Int)
        throws(GatewayConfigurationError) -> Int?
    {
        guard let text = reader.string(forKey: ConfigKey(key)) else { return nil }
        guard let count = Int(text), count >= minimum else {
            throw GatewayConfigurationError(key: flag, message: "must be a whole number of at least \(minimum)")
        }
        return count
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
