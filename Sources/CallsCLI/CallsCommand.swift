import ArgumentParser
import Foundation
import Logging

/// `calls`: a command-line client of the call-state bus.
@main
struct CallsCommand: AsyncParsableCommand {
    /// The subcommand's name, summary and help.
    static let configuration = CommandConfiguration(
        commandName: "calls",
        abstract:
            "A command-line client of the call-state bus: list, get, operate, dial, devices, agent, watch, simulate, "
            + "bench, keys.",
        discussion: """
            The bus options also read the environment variable in brackets; an option wins.

            Exit codes, for scripts:
              0  success
              1  the bus refused; stderr says: calls: <statusMessage> (statusCode N)
              2  usage error: a bad option, argument or input file
              3  the bus did not answer within --timeout
            """,
        subcommands: [
            ListCommand.self, GetCommand.self, OperateCommand.self, DialCommand.self, DevicesCommand.self,
            AgentCommand.self, WatchCommand.self, SimulateCommand.self, BenchCommand.self, KeysCommand.self,
        ]
    )

    /// Parses and runs a subcommand, mapping ArgumentParser's usage failures (its code 64) to the
    /// documented exit code 2 and printing them in one line.
    static func main() async {
        LoggingSystem.bootstrap { label in
            // Library logs would interleave with command output: only errors reach stderr.
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = .error
            return handler
        }
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            if exitCode(for: error) == .validationFailure {
                Output.error("calls: \(message(for: error)) (see 'calls --help')")
                exit(withError: ExitStatus.usage)
            }
            exit(withError: error)
        }
    }
}
