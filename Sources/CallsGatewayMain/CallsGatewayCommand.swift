import ArgumentParser
import Calls
import CallsBusClient
import CallsBusMessages
import CallsGateway
import Configuration
import Foundation
import Hummingbird
import Logging

@main
struct CallsGatewayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calls-gateway",
        abstract: "The REST gateway: the GWS v2 Calls API (/api/v2/me/calls) over the call-state bus.",
        discussion: "Every option also reads the environment variable in brackets; an option wins."
    )

    @Option(help: "The directory file with principals and bcrypt password hashes [CALLS_DIRECTORY]. Required.")
    var directory: String?
    @Option(help: "HOST:PORT to listen on [CALLS_LISTEN] (default: 127.0.0.1:8080).")
    var listen: String?
    @Option(
        help: """
            The bus's request endpoint, or a comma-separated list of every bus of a group \
            [CALLS_REQUEST_ENDPOINT] (default: \(DefaultEndpoint.request)).
            """
    )
    var requestEndpoint: String?
    @Option(
        help: """
            The bus's events endpoint, or a comma-separated list (every bus of a group, or a calls-proxy) \
            [CALLS_EVENTS_ENDPOINT] (default: \(DefaultEndpoint.events)).
            """
    )
    var eventsEndpoint: String?
    @Option(help: "Seconds to wait for the bus before answering 503 [CALLS_BUS_TIMEOUT] (default: 2).")
    var busTimeout: String?
    @Option(help: "Seconds between keep-alive comments on an idle event stream [CALLS_KEEP_ALIVE] (default: 15).")
    var keepAlive: String?
    @Option(help: "A PEM certificate chain: serve HTTPS with it and --tls-key [CALLS_TLS_CERTIFICATE].")
    var tlsCertificate: String?
    @Option(help: "The PEM private key of --tls-certificate [CALLS_TLS_KEY].")
    var tlsKey: String?
    @Flag(help: "Listen beyond loopback without TLS anyway [CALLS_INSECURE=true].")
    var insecure = false
    @Option(
        help: """
            Seconds a connection may stay silent (a half-sent request, an idle keep-alive \
            connection) before it is closed [CALLS_IDLE_TIMEOUT] (default: 15).
            """)
    var idleTimeout: String?
    @Option(help: "Event streams open at once in all; one more is answered 503 [CALLS_MAX_STREAMS] (default: 500).")
    var maxStreams: String?
    @Option(
        help: "Event streams open at once per user; one more is answered 429 [CALLS_MAX_STREAMS_PER_USER] (default: 8)."
    )
    var maxStreamsPerUser: String?
    @Option(
        help: """
            Failed logins from one client address before it is locked out (429), 1 s doubling per \
            further failure up to 60 s [CALLS_LOGIN_FAILURES] (default: 5).
            """)
    var loginFailures: String?
    @Option(
        help:
            "Seconds a CometD /meta/connect is held when nothing is queued [CALLS_COMETD_CONNECT_TIMEOUT] (default: 30)."
    )
    var cometdConnectTimeout: String?
    @Option(
        help: "Seconds a CometD session lives without a /meta/connect [CALLS_COMETD_SESSION_TIMEOUT] (default: 15).")
    var cometdSessionTimeout: String?
    @Option(
        help: "Messages one CometD session may hold; one more ends it [CALLS_COMETD_MAX_QUEUE] (default: 10000).")
    var cometdMaxQueue: String?
    @Option(help: "CometD sessions open at once in all [CALLS_COMETD_MAX_SESSIONS] (default: 10000).")
    var cometdMaxSessions: String?
    @Option(help: "CometD sessions open at once per user [CALLS_COMETD_MAX_SESSIONS_PER_USER] (default: 16).")
    var cometdMaxSessionsPerUser: String?
    @Option(help: "The gateway's CURVE secret certificate (zcert) [CALLS_CURVE_SECRET_KEY_FILE].")
    var curveSecretKeyFile: String?
    @Option(help: "The bus's public certificate (zcert) [CALLS_CURVE_SERVER_KEY_FILE].")
    var curveServerKeyFile: String?
    @Option(
        help: ArgumentHelp(
            "A file of at least 32 random bytes that signs wallboard sign-ins, so that they survive a restart "
                + "[CALLS_SESSION_KEY_FILE] (default: a key drawn at start)."))
    var sessionKeyFile: String?
    @Option(help: "How long a wallboard sign-in lasts, in seconds [CALLS_SESSION_LIFETIME] (default: 28800).")
    var sessionLifetime: String?
    @Option(help: "trace, debug, info, notice, warning, error or critical [CALLS_LOG_LEVEL] (default: info).")
    var logLevel: String?

    func run() async throws {
        let flags: [String: String?] = [
            "directory": directory, "listen": listen, "requestEndpoint": requestEndpoint,
            "eventsEndpoint": eventsEndpoint, "busTimeout": busTimeout, "logLevel": logLevel,
            "keepAlive": keepAlive, "loginFailures": loginFailures,
            "tlsCertificate": tlsCertificate, "tlsKey": tlsKey, "insecure": insecure ? "true" : nil,
            "idleTimeout": idleTimeout, "maxStreams": maxStreams, "maxStreamsPerUser": maxStreamsPerUser,
            "curveSecretKeyFile": curveSecretKeyFile, "curveServerKeyFile": curveServerKeyFile,
            "sessionKeyFile": sessionKeyFile, "sessionLifetime": sessionLifetime,
            "cometdConnectTimeout": cometdConnectTimeout, "cometdSessionTimeout": cometdSessionTimeout,
            "cometdMaxQueue": cometdMaxQueue, "cometdMaxSessions": cometdMaxSessions,
            "cometdMaxSessionsPerUser": cometdMaxSessionsPerUser,
        ]
        var values: [AbsoluteConfigKey: ConfigValue] = [:]
        for case let (key, value?) in flags {
            values[AbsoluteConfigKey(["calls", key])] = .init(.string(value), isSecret: false)
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
        let logger = Logger(label: "calls-gateway")
        do {
            guard let path = reader.string(forKey: "directory") else {
                throw ValidationError("--directory (or CALLS_DIRECTORY) is required: the principals file")
            }
            let directory = try Directory(contentsOf: URL(fileURLWithPath: path))
            let configuration = try GatewayConfiguration(reader: reader)
            let bus = try CallsBusClient(configuration: configuration.bus, logger: logger)
            let app = try CallsGateway.application(
                configuration: configuration, directory: directory, bus: bus, logger: logger)
            try await app.runService()
        } catch let error as ValidationError {
            throw error
        } catch {
            FileHandle.standardError.write(Data("calls-gateway: \(error)\n".utf8))
            throw ExitCode.failure
        }
    }
}
