public import Configuration
import Foundation

extension BusConfiguration {
    /// Reads the configuration, every key optional, relative to `reader`'s scope.
    ///
    /// Keys (a Main scopes its reader to `calls`, so the environment variables are the contract's
    /// `CALLS_STATE`, `CALLS_REQUEST_ENDPOINT`…):
    /// - `state` (string, default `calls-state.sqlite`): the SQLite state file.
    /// - `stateBusyTimeout` (seconds, > 0, default 5): how long a commit waits for another
    ///   process's lock on the state file before its batch is refused.
    /// - `requestEndpoint` (string, default `tcp://127.0.0.1:5555`): the request socket.
    /// - `eventsEndpoint` (string, default `tcp://127.0.0.1:5556`): the events socket.
    /// - `publicBaseUrl` (string, default `http://127.0.0.1:8080`): base of `uri` and `deviceUri`.
    /// - `releasedRetention` (seconds, ≥ 0, default 60): how long released calls stay visible.
    /// - `eventHistory` (count, ≥ 1, default 100000): events kept for `events.replay`.
    /// - `curveSecretKeyFile` (path, optional): the bus's CURVE secret certificate (zcert format).
    /// - `curveClients` (path, optional): the folder of admitted clients' public certificates.
    /// - `insecure` (bool, default false): allow binding beyond loopback without CURVE.
    /// - `databaseUrl` (secret string, optional): `postgres://user:password@host:port/database`, the
    ///   database a group of buses shares instead of the SQLite file (contract section 10).
    /// - `leaseTimeout` (seconds, 0.5 to 600, default 3): how soon a standby takes over.
    /// - Throws: ``BusConfigurationError`` naming the key when a value is present but not valid.
    public init(reader: ConfigReader) throws(BusConfigurationError) {
        self.init()
        if let state = reader.string(forKey: "state") { statePath = state }
        if let endpoint = reader.string(forKey: "requestEndpoint") { requestEndpoint = endpoint }
        if let endpoint = reader.string(forKey: "eventsEndpoint") { eventsEndpoint = endpoint }
        if let url = reader.string(forKey: "publicBaseUrl") {
            guard url.hasPrefix("http://") || url.hasPrefix("https://") else {
                throw BusConfigurationError(key: "public-base-url", message: "must start with http:// or https://")
            }
            publicBaseURL = url
        }
        if let text = reader.string(forKey: "releasedRetention") {
            guard let seconds = TimeInterval(text), seconds >= 0, seconds.isFinite else {
                throw BusConfigurationError(
                    key: "released-retention", message: "must be a number of seconds, 0 or more")
            }
            releasedRetention = seconds
        }
        if let text = reader.string(forKey: "stateBusyTimeout") {
            guard let seconds = TimeInterval(text), seconds > 0, seconds.isFinite else {
                throw BusConfigurationError(
                    key: "state-busy-timeout", message: "must be a number of seconds, more than 0")
            }
            stateBusyTimeout = seconds
        }
        curveSecretKeyFile = reader.string(forKey: "curveSecretKeyFile")
        curveClientsDirectory = reader.string(forKey: "curveClients")
        if let text = reader.string(forKey: "insecure") {
            guard let flag = Bool(text.lowercased()) else {
                throw BusConfigurationError(key: "insecure", message: "must be true or false")
            }
            allowsInsecureBind = flag
        }
        databaseURL = reader.string(forKey: "databaseUrl", isSecret: true)
        if let url = databaseURL, !url.hasPrefix("postgres://"), !url.hasPrefix("postgresql://") {
            throw BusConfigurationError(key: "database-url", message: "must start with postgres:// or postgresql://")
        }
        if let text = reader.string(forKey: "leaseTimeout") {
            guard let seconds = TimeInterval(text), seconds >= 0.5, seconds <= 600 else {
                throw BusConfigurationError(
                    key: "lease-timeout", message: "must be a number of seconds from 0.5 to 600")
            }
            leaseTimeout = seconds
        }
        if let text = reader.string(forKey: "eventHistory") {
            guard let count = Int(text), count >= 1 else {
                throw BusConfigurationError(key: "event-history", message: "must be a whole number of at least 1")
            }
            eventHistory = count
        }
    }
}

/// A configuration value that is present but unusable.
public struct BusConfigurationError: Error, Sendable, CustomStringConvertible {
    /// The flag's name, without dashes (`event-history`).
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
