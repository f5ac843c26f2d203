import ArgumentParser
import Calls
import CallsBusMessages
import CallsProxy
import Configuration
import Foundation
import Logging
import ServiceLifecycle
import UnixSignals

@main
struct CallsProxyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calls-proxy",
        abstract: "Fans the bus's call-state events out to many subscribers (XSUB in, XPUB out).",
        discussion: """
            Subscribers connect to --endpoint as they would to the bus's events endpoint; they still send \
            their requests (events.replay included) to the bus. Every option also reads the environment \
            variable in brackets; an option wins. Stop with SIGTERM or SIGINT.
            """
    )

    @Option(
        help: "The buses' events endpoints, comma-separated [CALLS_PROXY_BUS_ENDPOINT] (default: tcp://127.0.0.1:5556)."
    )
    var busEndpoint: String?
    @Option(help: "The endpoint subscribers connect to [CALLS_PROXY_ENDPOINT] (default: tcp://127.0.0.1:5557).")
    var endpoint: String?
    @Option(help: "The directory file, for the principals of --curve-clients [CALLS_PROXY_DIRECTORY].")
    var directory: String?
    @Option(help: "The proxy's CURVE secret certificate (zcert) [CALLS_PROXY_CURVE_SECRET_KEY_FILE].")
    var curveSecretKeyFile: String?
    @Option(
        help: """
            The secret certificate presented to subscribers (default: --curve-secret-key-file); the bus's own, \
            so that clients know one server key [CALLS_PROXY_CURVE_PUBLISH_SECRET_KEY_FILE].
            """
    )
    var curvePublishSecretKeyFile: String?
    @Option(help: "The bus's public certificate: CURVE towards the bus [CALLS_PROXY_CURVE_SERVER_KEY_FILE].")
    var curveServerKeyFile: String?
    @Option(
        help: "Folder of admitted subscribers' public certificates: CURVE towards them [CALLS_PROXY_CURVE_CLIENTS].")
    var curveClients: String?
    @Flag(help: "Bind beyond loopback without CURVE anyway [CALLS_PROXY_INSECURE=true].")
    var insecure = false
    @Option(
        help:
            "Events queued per subscriber before a slow one loses some [CALLS_PROXY_SEND_HIGH_WATER_MARK] (default: 100000)."
    )
    var sendHighWaterMark: String?
    @Option(help: "Events queued from each bus [CALLS_PROXY_RECEIVE_HIGH_WATER_MARK] (default: 1000000).")
    var receiveHighWaterMark: String?
    @Option(help: "Seconds between statistics log lines [CALLS_PROXY_STATISTICS_INTERVAL] (default: 60).")
    var statisticsInterval: String?
    @Option(help: "trace, debug, info, notice, warning, error or critical [CALLS_PROXY_LOG_LEVEL] (default: info).")
    var logLevel: String?

    func run() async throws {
        let flags: [String: String?] = [
            "busEndpoint": busEndpoint, "endpoint": endpoint, "directory": directory,
            "curveSecretKeyFile": curveSecretKeyFile, "curvePublishSecretKeyFile": curvePublishSecretKeyFile,
            "curveServerKeyFile": curveServerKeyFile,
            "curveClients": curveClients, "insecure": insecure ? "true" : nil, "sendHighWaterMark": sendHighWaterMark,
            "receiveHighWaterMark": receiveHighWaterMark, "statisticsInterval": statisticsInterval,
            "logLevel": logLevel,
        ]
        var values: [AbsoluteConfigKey: ConfigValue] = [:]
        for case let (key, value?) in flags {
            values[AbsoluteConfigKey(["calls", "proxy", key])] = .init(.string(value), isSecret: false)
        }
        let reader = ConfigReader(providers: [
            InMemoryProvider(name: "flags", values: values), EnvironmentVariablesProvider(),
        ])
        .scoped(to: "calls.proxy")

        let logLevel = reader.string(forKey: "logLevel").flatMap(Logger.Level.init(rawValue:)) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = logLevel
            return handler
        }
        let logger = Logger(label: "calls-proxy")
        do {
            let configuration = try ProxyConfiguration(reader: reader)
            let directory = try reader.string(forKey: "directory").map {
                try Directory(contentsOf: URL(fileURLWithPath: $0))
            }
            let service = try CallsProxyService(configuration: configuration, directory: directory, logger: logger)
            let group = ServiceGroup(
                configuration: .init(services: [service], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
            )
            try await group.run()
        } catch {
            FileHandle.standardError.write(Data("calls-proxy: \(error)\n".utf8))
            throw ExitCode.failure
        }
    }
}
