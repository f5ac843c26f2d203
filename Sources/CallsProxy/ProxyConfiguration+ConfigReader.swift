public import CallsBusClient
public import Configuration

extension ProxyConfiguration {
    /// Reads the proxy's settings relative to `reader`'s scope (the Main scopes it to `calls.proxy`,
    /// so the environment variables are `CALLS_PROXY_BUS_ENDPOINT`…). Every key is optional:
    /// - `busEndpoint` (endpoint list, default ``CallsBusMessages/DefaultEndpoint/events``): the buses' events sockets.
    /// - `endpoint` (endpoint, default ``defaultEndpoint``): where subscribers connect.
    /// - `curveSecretKeyFile` (path): the proxy's secret certificate, towards the bus (and subscribers).
    /// - `curveServerKeyFile` (path): the bus's public certificate: CURVE towards the bus; needs the above.
    /// - `curvePublishSecretKeyFile` (path, default `curveSecretKeyFile`): the certificate shown to subscribers.
    /// - `curveClients` (folder): admitted subscribers' public certificates: CURVE towards subscribers.
    /// - `insecure` (bool, default false): bind beyond loopback without CURVE.
    /// - `sendHighWaterMark` (count ≥ 1, default 100000): events queued per subscriber.
    /// - `receiveHighWaterMark` (count ≥ 1, default 1000000): events queued from each bus.
    /// - `statisticsInterval` (seconds > 0, default 60): how often the counts are logged.
    /// - Throws: ``CallsBusClient/ConfigurationValueError`` naming the flag.
    public init(reader: ConfigReader) throws(ConfigurationValueError) {
        self.init()
        if let endpoints = try reader.endpoints("busEndpoint") { busEndpoints = endpoints }
        if let endpoints = try reader.endpoints("endpoint", binding: true) {
            guard endpoints.count == 1 else {
                throw ConfigurationValueError(key: "endpoint", message: "takes one endpoint, not a list")
            }
            endpoint = endpoints[0]
        }
        curveSecretKeyFile = reader.text("curveSecretKeyFile")
        curvePublishSecretKeyFile = reader.text("curvePublishSecretKeyFile")
        curveServerKeyFile = reader.text("curveServerKeyFile")
        curveClients = reader.text("curveClients")
        try checkCurveFiles()
        insecure = try reader.flag("insecure") ?? false
        if let count = try reader.count("sendHighWaterMark", minimum: 1) { sendHighWaterMark = count }
        if let count = try reader.count("receiveHighWaterMark", minimum: 1) { receiveHighWaterMark = count }
        if let interval = try reader.seconds("statisticsInterval") { statisticsInterval = interval }
    }

    /// CURVE towards the bus needs the proxy's certificate and the bus's; towards subscribers, a
    /// certificate to present and the clients folder. A certificate that serves neither is a mistake.
    private func checkCurveFiles() throws(ConfigurationValueError) {
        if curveServerKeyFile != nil, curveSecretKeyFile == nil {
            throw ConfigurationValueError(
                key: "curveServerKeyFile", message: "needs --curve-secret-key-file: the proxy's own certificate")
        }
        if curveClients != nil, curveSecretKeyFile == nil, curvePublishSecretKeyFile == nil {
            throw ConfigurationValueError(
                key: "curveClients",
                message: "needs --curve-publish-secret-key-file or --curve-secret-key-file: the certificate to present")
        }
        if curvePublishSecretKeyFile != nil, curveClients == nil {
            throw ConfigurationValueError(key: "curvePublishSecretKeyFile", message: "needs --curve-clients")
        }
        if curveSecretKeyFile != nil, curveServerKeyFile == nil, curveClients == nil {
            throw ConfigurationValueError(
                key: "curveSecretKeyFile", message: "needs --curve-server-key-file, --curve-clients or both")
        }
    }
}
