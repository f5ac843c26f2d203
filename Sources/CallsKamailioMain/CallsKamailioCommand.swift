import ArgumentParser
import Calls
import CallsBusClient
import CallsBusMessages
import CallsKamailio
import Configuration
import Foundation
import Logging
import ServiceLifecycle
import UnixSignals

@main
struct CallsKamailioCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calls-kamailio",
        abstract: "Feeds the bus from a Kamailio proxy: its dialog events become telephony events.",
        discussion: """
            Every option also reads the environment variable in brackets; an option wins. Kamailio runs \
            deploy/kamailio/kamailio.cfg (dialog events over evapi; dlg.list and dlg.end_dlg over the jsonrpcs FIFO). A REST \
            Hangup (or SingleStepTransfer) of a call ends its SIP dialog; other operations need a user agent.
            """
    )

    @Option(help: "The directory file: devices' phoneNumbers map SIP numbers to devices [CALLS_DIRECTORY]. Required.")
    var directory: String?
    @Option(help: "Kamailio's evapi server, HOST:PORT [CALLS_KAMAILIO_EVAPI] (default: 127.0.0.1:8448).")
    var kamailioEvapi: String?
    @Option(
        help:
            "Kamailio's jsonrpcs FIFO [CALLS_KAMAILIO_RPC_FIFO] (default: /run/kamailio/kamailio_rpc.fifo)."
    )
    var kamailioRpcFifo: String?
    @Option(
        help:
            "jsonrpcs's fifo_reply_dir, where replies come [CALLS_KAMAILIO_RPC_REPLY_DIRECTORY] (default: /run/calls-kamailio)."
    )
    var kamailioRpcReplyDirectory: String?
    @Option(help: "Seconds an RPC reply may take [CALLS_KAMAILIO_RPC_TIMEOUT] (default: 2).")
    var kamailioRpcTimeout: String?
    @Option(help: "The Telephony principal that reports events [CALLS_KAMAILIO_USER] (default: switch-1).")
    var kamailioUser: String?
    @Option(
        help: "A principal that sees every call, to read calls and events [CALLS_KAMAILIO_OBSERVER] (default: admin).")
    var kamailioObserver: String?
    @Option(
        help: "The bus's request endpoints, comma-separated [CALLS_REQUEST_ENDPOINT] (default: tcp://127.0.0.1:5555).")
    var requestEndpoint: String?
    @Option(
        help: "The bus's events endpoints, comma-separated [CALLS_EVENTS_ENDPOINT] (default: tcp://127.0.0.1:5556).")
    var eventsEndpoint: String?
    @Option(help: "Seconds a bus request may take [CALLS_BUS_TIMEOUT] (default: 2).")
    var busTimeout: String?
    @Option(help: "trace, debug, info, notice, warning, error or critical [CALLS_LOG_LEVEL] (default: info).")
    var logLevel: String?

    func run() async throws {
        let flags: [String: String?] = [
            "directory": directory, "kamailioEvapi": kamailioEvapi, "kamailioRpcFifo": kamailioRpcFifo,
            "kamailioRpcReplyDirectory": kamailioRpcReplyDirectory, "kamailioRpcTimeout": kamailioRpcTimeout,
            "kamailioUser": kamailioUser, "kamailioObserver": kamailioObserver, "requestEndpoint": requestEndpoint,
            "eventsEndpoint": eventsEndpoint, "busTimeout": busTimeout, "logLevel": logLevel,
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
        let logger = Logger(label: "calls-kamailio")
        do {
            guard let path = reader.string(forKey: "directory") else {
                throw ValidationError("--directory (or CALLS_DIRECTORY) is required: the devices' phone numbers")
            }
            let directory = try Directory(contentsOf: URL(fileURLWithPath: path))
            var devicesByNumber: [String: String] = [:]
            for principal in directory.principals {
                for (device, number) in principal.devicePhoneNumbers { devicesByNumber[number] = device }
            }
            let client = try CallsBusClient(configuration: try BusClientConfiguration(reader: reader), logger: logger)
            let adapter = KamailioAdapter(
                configuration: try KamailioAdapterConfiguration(reader: reader), devicesByNumber: devicesByNumber,
                client: client, logger: logger)
            logger.notice("calls-kamailio starting", metadata: ["kamailio.devices": "\(devicesByNumber.count)"])
            let group = ServiceGroup(
                configuration: .init(
                    services: [client, adapter], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
            try await group.run()
        } catch let error as ValidationError {
            throw error
        } catch {
            FileHandle.standardError.write(Data("calls-kamailio: \(error)\n".utf8))
            throw ExitCode.failure
        }
    }
}
