import CallsBusClient
import CallsKamailio
import Configuration
import Testing

struct KamailioAdapterConfigurationTests {
    /// A reader over `values` (keys under `calls`), scoped as the Main scopes it.
    private func reader(_ values: [String: String]) -> ConfigReader {
        var content: [AbsoluteConfigKey: ConfigValue] = [:]
        for (key, value) in values {
            content[AbsoluteConfigKey(["calls", key])] = .init(.string(value), isSecret: false)
        }
        return ConfigReader(provider: InMemoryProvider(values: content)).scoped(to: "calls")
    }

    @Test func nothingGivenMatchesTheShippedKamailioConfiguration() throws {
        let configuration = try KamailioAdapterConfiguration(reader: reader([:]))
        #expect((configuration.evapiHost, configuration.evapiPort) == ("127.0.0.1", 8448))
        #expect(configuration.rpcFIFO == "/run/kamailio/kamailio_rpc.fifo")
        #expect(configuration.rpcReplyDirectory == "/run/calls-kamailio")
        #expect((configuration.telephonyUser, configuration.observerUser) == ("switch-1", "admin"))
    }

    @Test func everyKeyIsRead() throws {
        let configuration = try KamailioAdapterConfiguration(
            reader: reader([
                "kamailioEvapi": "::1:9000", "kamailioRpcFifo": "/k/rpc.fifo", "kamailioRpcReplyDirectory": "/r",
                "kamailioRpcTimeout": "0.5", "kamailioUser": "switch-2", "kamailioObserver": "boss",
            ]))
        #expect((configuration.evapiHost, configuration.evapiPort) == ("::1", 9000))
        #expect((configuration.rpcFIFO, configuration.rpcReplyDirectory) == ("/k/rpc.fifo", "/r"))
        #expect(configuration.rpcTimeout == .milliseconds(500))
        #expect((configuration.telephonyUser, configuration.observerUser) == ("switch-2", "boss"))
    }

    @Test(arguments: ["8448", "host:", ":8448", "host:0", "host:70000", "host:port"])
    func anEvapiAddressWithoutHostAndPortIsRefused(_ address: String) {
        #expect(throws: ConfigurationValueError.self) {
            try KamailioAdapterConfiguration(reader: reader(["kamailioEvapi": address]))
        }
    }
}
