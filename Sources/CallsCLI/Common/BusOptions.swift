import ArgumentParser
import CallsBusClient
import CallsBusMessages
import Configuration

/// The options every bus subcommand takes: where the bus is, who is asking, how long to wait.
///
/// Each option falls back to its environment variable, then to the contract's default; the
/// providers are built here, in the command, and the bus client's own reader reads them.
struct BusOptions: ParsableArguments {
    /// The bus's request endpoint.
    @Option(
        help: """
            The bus's request endpoint, or a comma-separated list of every bus of a group \
            [CALLS_REQUEST_ENDPOINT] (default: \(DefaultEndpoint.request)).
            """
    )
    var requestEndpoint: String?

    /// The bus's events endpoint.
    @Option(
        help: """
            The bus's events endpoint, or a comma-separated list (every bus of a group, or a calls-proxy) \
            [CALLS_EVENTS_ENDPOINT] (default: \(DefaultEndpoint.events)).
            """
    )
    var eventsEndpoint: String?

    /// The principal the requests speak for.
    @Option(help: "The principal the requests speak for [CALLS_USER] (default: admin).")
    var user: String?

    /// This client's CURVE secret certificate.
    @Option(help: "This client's CURVE secret certificate (zcert) [CALLS_CURVE_SECRET_KEY_FILE].")
    var curveSecretKeyFile: String?

    /// The bus's public certificate.
    @Option(help: "The bus's public certificate (zcert) [CALLS_CURVE_SERVER_KEY_FILE].")
    var curveServerKeyFile: String?

    /// Seconds to wait for each reply before giving up (exit 3).
    @Option(
        help: ArgumentHelp(
            "Seconds to wait for each reply before giving up (exit 3) [CALLS_TIMEOUT] (default: 2).",
            valueName: "SECONDS"
        )
    )
    var timeout: Double?

    /// Checks the options; a failure is a usage error (exit 2).
    func validate() throws {
        do {
            _ = try clientConfiguration()
        } catch {
            throw ValidationError("\(error)")
        }
    }

    /// The user after the flag, `CALLS_USER` and the default.
    var resolvedUser: String {
        reader.text("user") ?? "admin"
    }

    /// The bus client's configuration after flags, environment and defaults, read as the gateway
    /// reads its own (the timeout's key is `timeout`: `--timeout`, `CALLS_TIMEOUT`).
    /// - Throws: ``CallsBusClient/ConfigurationValueError`` for a value that is present but not valid.
    func clientConfiguration() throws(ConfigurationValueError) -> BusClientConfiguration {
        try BusClientConfiguration(reader: reader, timeoutKey: "timeout", maximumTimeout: 3600)
    }

    /// Flags, then the environment, scoped to `calls`: this command is a Main, the one place
    /// that builds providers.
    private var reader: ConfigReader {
        let flags: [String: String?] = [
            "requestEndpoint": requestEndpoint, "eventsEndpoint": eventsEndpoint, "user": user,
            "curveSecretKeyFile": curveSecretKeyFile, "curveServerKeyFile": curveServerKeyFile,
            "timeout": timeout.map { "\($0)" },
        ]
        var values: [AbsoluteConfigKey: ConfigValue] = [:]
        for case let (key, value?) in flags {
            values[AbsoluteConfigKey(["calls", key])] = .init(.string(value), isSecret: false)
        }
        return ConfigReader(providers: [
            InMemoryProvider(name: "flags", values: values), EnvironmentVariablesProvider(),
        ])
        .scoped(to: "calls")
    }
}
