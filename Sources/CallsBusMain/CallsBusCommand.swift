import ArgumentParser
import Calls
import CallsBusMessages
import CallsBusService
import Configuration
import Foundation
import Logging
import ServiceLifecycle
import UnixSignals

@main
struct CallsBusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calls-bus",
        abstract: "The call-state bus: answers requests over ZeroMQ and publishes call-state events.",
        discussion: """
            Every option also reads the environment variable in brackets; an option wins. \
            Stop with SIGTERM or SIGINT: in-flight requests are finished and committed first.
            """
    )

    @Option(help: "The directory file: principals, roles, devices [CALLS_DIRECTORY]. Required.")
    var directory: String?
    @Option(help: "The SQLite state file [CALLS_STATE] (default: calls-state.sqlite).")
    var state: String?
    @Option(
        help:
            "Seconds a commit waits for another process's lock on the state file [CALLS_STATE_BUSY_TIMEOUT] (default: 5)."
    )
    var stateBusyTimeout: String?
    @Option(help: "The request (REP) endpoint [CALLS_REQUEST_ENDPOINT] (default: tcp://127.0.0.1:5555).")
    var requestEndpoint: String?
    @Option(help: "The events (PUB) endpoint [CALLS_EVENTS_ENDPOINT] (default: tcp://127.0.0.1:5556).")
    var eventsEndpoint: String?
    @Option(help: "Base of call and device URIs [CALLS_PUBLIC_BASE_URL] (default: http://127.0.0.1:8080).")
    var publicBaseUrl: String?
    @Option(help: "Seconds a released call stays visible [CALLS_RELEASED_RETENTION] (default: 60).")
    var releasedRetention: String?
    @Option(help: "Events kept for events.replay [CALLS_EVENT_HISTORY] (default: 100000).")
    var eventHistory: String?
    @Option(help: "The bus's CURVE secret certificate (zcert) [CALLS_CURVE_SECRET_KEY_FILE]; turns CURVE on.")
    var curveSecretKeyFile: String?
    @Option(help: "Folder of admitted clients' public certificates, reloaded on SIGHUP [CALLS_CURVE_CLIENTS].")
    var curveClients: String?
    @Option(
        help: """
            Keep the state in this PostgreSQL database instead of the SQLite file, shared by a group of \
            buses of which one is active and the others stand by [CALLS_DATABASE_URL] \
            (postgres://user:password@host:port/database).
            """)
    var databaseUrl: String?
    @Option(
        help: "Seconds before a standby takes over from an active bus that stopped [CALLS_LEASE_TIMEOUT] (default: 3).")
    var leaseTimeout: String?
    @Flag(help: "Bind beyond loopback without CURVE anyway [CALLS_INSECURE=true].")
    var insecure = false
    @Option(help: "trace, debug, info, notice, warning, error or critical [CALLS_LOG_LEVEL] (default: info).")
    var logLevel: String?

    func run() async throws {
        let flags: [String: String?] = [
            "directory": directory, "state": state, "stateBusyTimeout": stateBusyTimeout,
            "requestEndpoint": requestEndpoint,
            "eventsEndpoint": eventsEndpoint, "publicBaseUrl": publicBaseUrl,
            "releasedRetention": releasedRetention, "eventHistory": eventHistory, "logLevel": logLevel,
            "curveSecretKeyFile": curveSecretKeyFile, "curveClients": curveClients, "insecure": insecure ? "true" : nil,
            "databaseUrl": databaseUrl, "leaseTimeout": leaseTimeout,
        ]
        var values: [AbsoluteConfigKey: ConfigValue] = [:]
        for case let (key, value?) in flags {
            values[AbsoluteConfigKey(["calls", key])] = .init(.string(value), isSecret: key == "databaseUrl")
        }
        let reader = ConfigReader(providers: [
            InMemoryProvider(name: "flags", values: values), EnvironmentVariablesProvider(),
        ])
        .scoped(to: "calls")

        let logLevel = reader.string(forKey: "logLevel").flatMap(Logger.Level.init(rawValue:)) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = logLevel
            return handler
        }
        let logger = Logger(label: "calls-bus")
        do {
            guard let path = reader.string(forKey: "directory") else {
                throw ValidationError("--directory (or CALLS_DIRECTORY) is required: the principals file")
            }
            let directory = try Directory(contentsOf: URL(fileURLWithPath: path))
            var configuration = try BusConfiguration(reader: reader)
            configuration.reloadsOnHangup = true
            let service = CallsBusService(configuration: configuration, directory: directory, logger: logger)
            let group = ServiceGroup(
                configuration: .init(services: [service], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
            )
            try await group.run()
        } catch let error as ValidationError {
            throw error
        } catch {
            FileHandle.standardError.write(Data("calls-bus: \(error)\n".utf8))
            throw ExitCode.failure
        }
    }
}
