import ArgumentParser
import Calls
import CallsBusClient
import CallsBusMessages
import Logging
import ServiceLifecycle
import UnixSignals

/// One command's run against the bus: a ``CallsBusClient`` in a `ServiceGroup` for as long as
/// the work takes, then a graceful shutdown; failures become one line on stderr and an exit code.
enum BusSession {
    /// Starts a client, runs `work` with it, stops the client.
    /// - Parameters:
    ///   - configuration: where the bus is.
    ///   - handlingSignals: whether SIGINT and SIGTERM shut the work down gracefully (it sees them
    ///     through `gracefulShutdown()`); otherwise they end the process as usual.
    ///   - work: the command's requests.
    /// - Throws: `ExitCode` 1 for a refusal, 3 when the bus did not answer, 2 for ``UsageFailure``,
    ///   after printing the reason in one line.
    static func run<Value: Sendable>(
        configuration: BusClientConfiguration,
        handlingSignals: Bool = false,
        _ work: @escaping @Sendable (CallsBusClient) async throws -> Value
    ) async throws -> Value {
        let logger = Logger(label: "calls")
        do {
            let client = try CallsBusClient(configuration: configuration, logger: logger)
            let commandWork = CommandWork { try await work(client) }
            let group = ServiceGroup(
                configuration: .init(
                    services: [
                        .init(service: client),
                        // The work ending is what ends the command: the client is then shut down gracefully.
                        .init(
                            service: commandWork, successTerminationBehavior: .gracefullyShutdownGroup,
                            failureTerminationBehavior: .gracefullyShutdownGroup),
                    ],
                    gracefulShutdownSignals: handlingSignals ? [.sigterm, .sigint] : [],
                    logger: logger
                )
            )
            try await group.run()
            guard let outcome = commandWork.outcome else {
                throw BusUnavailableError(reason: "the bus client stopped before the command ended")
            }
            return try outcome.get()
        } catch {
            throw exitCode(reporting: error)
        }
    }

    /// Sends one read request and prints its reply: as it came with `json` (one line of JSON, exit 1
    /// after it for a refusal), else as the `lines` of the successful reply — what `calls list`,
    /// `calls get` and `calls devices [get]` share.
    static func show(
        _ request: BusRequest, bus: BusOptions, json: Bool,
        lines: @escaping @Sendable (ParsedReply) throws -> [String]
    ) async throws {
        try await run(configuration: try bus.clientConfiguration()) { client in
            let reply = try await client.send(request)
            if json {
                Output.line(reply.text)
                _ = try reply.checked()
                return
            }
            for line in try lines(try reply.checked()) { Output.line(line) }
        }
    }

    /// Prints `error` in one line and returns the documented exit code for it.
    static func exitCode(reporting error: any Error) -> ExitCode {
        switch error {
        case let exit as ExitCode:
            return exit
        case let refusal as CallsError:
            Output.error("calls: \(refusal.message) (statusCode \(refusal.code.statusCode))")
            return ExitStatus.refused
        case let unavailable as BusUnavailableError:
            Output.error("calls: \(unavailable)")
            return ExitStatus.unavailable
        case let usage as UsageFailure:
            Output.error("calls: \(usage.message)")
            return ExitStatus.usage
        default:
            Output.error("calls: \(error)")
            return ExitStatus.refused
        }
    }
}
