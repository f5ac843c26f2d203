import CallsBusClient
import CallsBusMessages
import CallsProxy
import Configuration
import Testing

struct ProxyConfigurationTests {
    /// A reader over `values` (keys under `calls.proxy`), scoped as the Main scopes it.
    private func reader(_ values: [String: String]) -> ConfigReader {
        var content: [AbsoluteConfigKey: ConfigValue] = [:]
        for (key, value) in values {
            content[AbsoluteConfigKey(["calls", "proxy", key])] = .init(.string(value), isSecret: false)
        }
        return ConfigReader(provider: InMemoryProvider(values: content)).scoped(to: "calls.proxy")
    }

    @Test func nothingGivenIsAProxyBesideOneBusOnLoopback() throws {
        let configuration = try ProxyConfiguration(reader: reader([:]))
        #expect(configuration.busEndpoints == [DefaultEndpoint.events])
        #expect(configuration.endpoint == ProxyConfiguration.defaultEndpoint)
        #expect(configuration.curveSecretKeyFile == nil)
        #expect(configuration.insecure == false)
        #expect(configuration.sendHighWaterMark == 100_000)
        #expect(configuration.statisticsInterval == .seconds(60))
    }

    @Test func theBoundEndpointMayAskForAnyFreePort() throws {
        #expect(
            try ProxyConfiguration(reader: reader(["endpoint": "tcp://127.0.0.1:*"])).endpoint == "tcp://127.0.0.1:*")
        #expect(
            try ProxyConfiguration(reader: reader(["endpoint": "tcp://127.0.0.1:0"])).endpoint == "tcp://127.0.0.1:0")
    }

    @Test func everyKeyIsRead() throws {
        let configuration = try ProxyConfiguration(
            reader: reader([
                "busEndpoint": "tcp://10.0.0.1:5556, tcp://10.0.0.2:5556", "endpoint": "tcp://0.0.0.0:5557",
                "curveSecretKeyFile": "proxy_secret", "curveServerKeyFile": "bus.pub",
                "curvePublishSecretKeyFile": "bus_secret", "curveClients": "clients", "insecure": "true",
                "sendHighWaterMark": "50", "receiveHighWaterMark": "70", "statisticsInterval": "0.5",
            ]))
        #expect(configuration.busEndpoints == ["tcp://10.0.0.1:5556", "tcp://10.0.0.2:5556"])
        #expect(configuration.endpoint == "tcp://0.0.0.0:5557")
        #expect(configuration.curveSecretKeyFile == "proxy_secret")
        #expect(configuration.curveServerKeyFile == "bus.pub")
        #expect(configuration.curvePublishSecretKeyFile == "bus_secret")
        #expect(configuration.curveClients == "clients")
        #expect(configuration.insecure)
        #expect((configuration.sendHighWaterMark, configuration.receiveHighWaterMark) == (50, 70))
        #expect(configuration.statisticsInterval == .milliseconds(500))
    }

    @Test(arguments: [
        (
            ["busEndpoint": "ipc:///a,"],
            "--bus-endpoint has an empty item (number 2) in 'ipc:///a,': remove the extra comma"
        ),
        (["endpoint": "tcp://127.0.0.1:1,tcp://127.0.0.1:2"], "--endpoint takes one endpoint, not a list"),
        (
            ["curveServerKeyFile": "bus.pub"],
            "--curve-server-key-file needs --curve-secret-key-file: the proxy's own certificate"
        ),
        (
            ["curveSecretKeyFile": "proxy_secret"],
            "--curve-secret-key-file needs --curve-server-key-file, --curve-clients or both"
        ),
        (["curvePublishSecretKeyFile": "bus_secret"], "--curve-publish-secret-key-file needs --curve-clients"),
        (["sendHighWaterMark": "0"], "--send-high-water-mark must be a whole number of at least 1"),
        (["insecure": "maybe"], "--insecure must be true or false"),
        (
            ["endpoint": "tcp://127.0.0.1:99999"],
            "--endpoint item 'tcp://127.0.0.1:99999' is not an endpoint: a TCP endpoint needs HOST:PORT with a port "
                + "from 1 to 65535 (or * for any)"
        ),
    ])
    func badValuesNameTheirFlag(values: [String: String], message: String) {
        let error = #expect(throws: ConfigurationValueError.self) { try ProxyConfiguration(reader: reader(values)) }
        #expect(error?.description == message)
    }
}
