import CallsBusClient
import CallsBusMessages
import Configuration
import Testing

struct BusClientConfigurationTests {
    /// A reader over `values` (keys under `calls`), scoped as a Main scopes it.
    private func reader(_ values: [String: String]) -> ConfigReader {
        var content: [AbsoluteConfigKey: ConfigValue] = [:]
        for (key, value) in values {
            content[AbsoluteConfigKey(["calls", key])] = .init(.string(value), isSecret: false)
        }
        return ConfigReader(provider: InMemoryProvider(values: content)).scoped(to: "calls")
    }

    @Test func nothingGivenIsTheContractsDefaults() throws {
        let configuration = try BusClientConfiguration(reader: reader([:]))
        #expect(configuration.requestEndpoint == DefaultEndpoint.request)
        #expect(configuration.eventsEndpoint == DefaultEndpoint.events)
        #expect(configuration.requestTimeout == .seconds(2))
        #expect(configuration.curveSecretKeyFile == nil)
    }

    @Test func everyKeyIsRead() throws {
        let configuration = try BusClientConfiguration(
            reader: reader([
                "requestEndpoint": "ipc:///tmp/r", "eventsEndpoint": "ipc:///tmp/e", "busTimeout": "0.25",
                "curveSecretKeyFile": "me.secret", "curveServerKeyFile": "bus.pub",
            ]))
        #expect(configuration.requestEndpoint == "ipc:///tmp/r")
        #expect(configuration.eventsEndpoint == "ipc:///tmp/e")
        #expect(configuration.requestTimeout == .milliseconds(250))
        #expect(configuration.curveSecretKeyFile == "me.secret")
        #expect(configuration.curveServerKeyFile == "bus.pub")
    }

    @Test func theTimeoutKeyIsTheProgramsOwn() throws {
        let values = ["timeout": "5", "busTimeout": "9", "requestEndpoint": ""]
        let configuration = try BusClientConfiguration(reader: reader(values), timeoutKey: "timeout")
        #expect(configuration.requestTimeout == .seconds(5))
        // An empty value counts as unset.
        #expect(configuration.requestEndpoint == DefaultEndpoint.request)
    }

    @Test func endpointListsNameEveryBusOfAGroup() throws {
        let configuration = try BusClientConfiguration(
            reader: reader([
                "requestEndpoint": "tcp://10.0.0.1:5555, tcp://10.0.0.2:5555",
                "eventsEndpoint": "ipc:///run/calls/proxy",
            ]))
        #expect(configuration.requestEndpoints == ["tcp://10.0.0.1:5555", "tcp://10.0.0.2:5555"])
        #expect(configuration.eventsEndpoints == ["ipc:///run/calls/proxy"])
    }

    @Test(arguments: [
        (["requestEndpoint": "tcp://a:5555,,tcp://b:5555"], "--request-endpoint has an empty item (number 2)"),
        (["eventsEndpoint": "tcp://a:5556,"], "--events-endpoint has an empty item (number 2)"),
        (["eventsEndpoint": "tcp://a:5556,localhost:5556"], "--events-endpoint item 'localhost:5556' is not an"),
        (["requestEndpoint": "udp://a:5555"], "--request-endpoint item 'udp://a:5555' is not an endpoint: unknown"),
        (["requestEndpoint": "tcp://a"], "--request-endpoint item 'tcp://a' is not an endpoint: a TCP endpoint"),
        (["eventsEndpoint": "tcp://a:*"], "--events-endpoint item 'tcp://a:*' is not an endpoint: a TCP endpoint"),
    ])
    func aBadItemOfAnEndpointListIsNamed(values: [String: String], messageStart: String) {
        let error = #expect(throws: ConfigurationValueError.self) {
            try BusClientConfiguration(reader: reader(values))
        }
        #expect(error?.description.hasPrefix(messageStart) == true, "\(error?.description ?? "")")
    }

    @Test(arguments: [
        (["busTimeout": "0"], "--bus-timeout must be a number of seconds above 0"),
        (["busTimeout": "soon"], "--bus-timeout must be a number of seconds above 0"),
        (["timeout": "7200"], "--timeout must be a number of seconds above 0 and at most 3600"),
        (
            ["curveSecretKeyFile": "me.secret"],
            "--curve-secret-key-file and --curve-server-key-file go together: CURVE needs both"
        ),
    ])
    func badValuesNameTheirFlag(values: [String: String], message: String) {
        // The command line's `--timeout` has a ceiling; the gateway's `--bus-timeout` has none.
        let isCommandLine = values["timeout"] != nil
        let error = #expect(throws: ConfigurationValueError.self) {
            try BusClientConfiguration(
                reader: reader(values), timeoutKey: isCommandLine ? "timeout" : "busTimeout",
                maximumTimeout: isCommandLine ? 3600 : .infinity)
        }
        #expect(error?.description == message)
    }
}
