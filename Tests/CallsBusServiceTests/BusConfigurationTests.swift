import CallsBusService
import Configuration
import Testing

/// The bus's keys as `calls-bus` reads them, the group's (contract sections 7 and 10) among them.
struct BusConfigurationTests {
    private func reader(_ values: [String: String]) -> ConfigReader {
        var content: [AbsoluteConfigKey: ConfigValue] = [:]
        for (key, value) in values {
            content[AbsoluteConfigKey(["calls", key])] = .init(.string(value), isSecret: false)
        }
        return ConfigReader(provider: InMemoryProvider(values: content)).scoped(to: "calls")
    }

    @Test func withoutADatabaseTheBusRunsAloneOnItsFile() throws {
        let configuration = try BusConfiguration(reader: reader([:]))
        #expect(configuration.databaseURL == nil)
        #expect(configuration.leaseTimeout == 3)
        #expect(configuration.statePath == "calls-state.sqlite")
    }

    @Test func aDatabaseAndALeaseTimeoutMakeItABusOfAGroup() throws {
        let configuration = try BusConfiguration(
            reader: reader(["databaseUrl": "postgresql://calls:secret@db:5432/calls", "leaseTimeout": "1.5"]))
        #expect(configuration.databaseURL == "postgresql://calls:secret@db:5432/calls")
        #expect(configuration.leaseTimeout == 1.5)
    }

    @Test(arguments: [
        (["databaseUrl": "mysql://db/calls"], "--database-url must start with postgres:// or postgresql://"),
        (["leaseTimeout": "0.1"], "--lease-timeout must be a number of seconds from 0.5 to 600"),
        (["leaseTimeout": "soon"], "--lease-timeout must be a number of seconds from 0.5 to 600"),
    ])
    func badGroupValuesNameTheirFlag(values: [String: String], message: String) {
        #expect(throws: BusConfigurationError.self) { try BusConfiguration(reader: reader(values)) }
        do {
            _ = try BusConfiguration(reader: reader(values))
        } catch {
            #expect(error.description == message)
        }
    }
}
