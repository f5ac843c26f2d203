public import Configuration

extension BusClientConfiguration {
    /// Reads where the bus is, every key optional, relative to `reader`'s scope; the gateway and
    /// the command line both read their bus client this way.
    ///
    /// Keys (a Main scopes its reader to `calls`, so the environment variables are the contract's
    /// `CALLS_REQUEST_ENDPOINT`…):
    /// - `requestEndpoint` (string, default ``CallsBusMessages/DefaultEndpoint/request``): the bus's request
    ///   socket, or a comma-separated list of them (every bus of a group).
    /// - `eventsEndpoint` (string, default ``CallsBusMessages/DefaultEndpoint/events``): the bus's events
    ///   socket, or a comma-separated list (every bus of a group, or a `calls-proxy`).
    /// - the timeout under `timeoutKey` (seconds, > 0 and at most `maximumTimeout`, default 2): how
    ///   long a request waits for its reply. The gateway's key is `busTimeout`, the command line's `timeout`.
    /// - `curveSecretKeyFile` (path, optional): this client's CURVE secret certificate.
    /// - `curveServerKeyFile` (path, optional): the bus's public certificate; the two go together.
    /// - Parameters:
    ///   - reader: the reader, scoped to the program's prefix.
    ///   - timeoutKey: the key of the request timeout, after the program's flag.
    ///   - maximumTimeout: the largest timeout accepted, in seconds.
    /// - Throws: ``ConfigurationValueError`` naming the flag (and the item of an endpoint list) when a
    ///   value is present but not valid.
    public init(
        reader: ConfigReader, timeoutKey: String = "busTimeout", maximumTimeout: Double = .infinity
    ) throws(ConfigurationValueError) {
        self.init()
        if let endpoints = try reader.endpoints("requestEndpoint") {
            requestEndpoint = endpoints.joined(separator: ",")
        }
        if let endpoints = try reader.endpoints("eventsEndpoint") { eventsEndpoint = endpoints.joined(separator: ",") }
        if let timeout = try reader.seconds(timeoutKey, maximum: maximumTimeout) { requestTimeout = timeout }
        if let (secret, server) = try reader.pair("curveSecretKeyFile", "curveServerKeyFile", purpose: "CURVE") {
            curveSecretKeyFile = secret
            curveServerKeyFile = server
        }
    }
}
