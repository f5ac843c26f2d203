import ArgumentParser
import CallsBusClient
import Foundation

/// The options every bus subcommand takes: where the bus is, who is asking, how long to wait.
///
/// Each option falls back to its environment variable, then to the contract's default; the
/// environment is read here, in the command, never in a library.
struct BusOptions: ParsableArguments {
    /// The bus's request endpoint.
    @Option(help: "The bus's request endpoint [CALLS_REQUEST_ENDPOINT] (default: tcp://127.0.0.1:5555).")
    var requestEndpoint: String?

    /// The bus's events endpoint.
    @Option(help: "The bus's events endpoint [CALLS_EVENTS_ENDPOINT] (default: tcp://127.0.0.1:5556).")
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
        guard let timeout = resolvedTimeout, timeout.isFinite, timeout > 0, timeout <= 3600 else {
            throw ValidationError("--timeout must be a number of seconds above 0 and at most 3600")
        }
        let secret = curveSecretKeyFile ?? Self.environment("CALLS_CURVE_SECRET_KEY_FILE")
        let server = curveServerKeyFile ?? Self.environment("CALLS_CURVE_SERVER_KEY_FILE")
        guard (secret == nil) == (server == nil) else {
            throw ValidationError("--curve-secret-key-file and --curve-server-key-file go together: CURVE needs both")
        }
    }

    /// The reply timeout after the flag, `CALLS_TIMEOUT` and the default; `nil` when the variable is
    /// not a number (a usage error).
    var resolvedTimeout: Double? {
        if let timeout { return timeout }
        guard let text = Self.environment("CALLS_TIMEOUT") else { return 2 }
        return Double(text)
    }

    /// The user after the flag, `CALLS_USER` and the default.
    var resolvedUser: String {
        user ?? Self.environment("CALLS_USER") ?? "admin"
    }

    /// The bus client's configuration after flags, environment and defaults.
    var clientConfiguration: BusClientConfiguration {
        BusClientConfiguration(
            requestEndpoint: requestEndpoint ?? Self.environment("CALLS_REQUEST_ENDPOINT") ?? "tcp://127.0.0.1:5555",
            eventsEndpoint: eventsEndpoint ?? Self.environment("CALLS_EVENTS_ENDPOINT") ?? "tcp://127.0.0.1:5556",
            requestTimeout: .milliseconds(Int64(((resolvedTimeout ?? 2) * 1000).rounded())),
            curveSecretKeyFile: curveSecretKeyFile ?? Self.environment("CALLS_CURVE_SECRET_KEY_FILE"),
            curveServerKeyFile: curveServerKeyFile ?? Self.environment("CALLS_CURVE_SERVER_KEY_FILE")
        )
    }

    /// A variable's value; an empty one counts as unset, as shells make it easy to export one by mistake.
    private static func environment(_ name: String) -> String? {
        guard let value = ProcessInfo.processInfo.environment[name], !value.isEmpty else { return nil }
        return value
    }
}
