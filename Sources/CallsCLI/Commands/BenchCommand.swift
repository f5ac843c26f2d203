import ArgumentParser
import CallsBench
import Foundation
import Logging

/// `calls bench`: the bus benchmark, side by side with a raw libzmq baseline.
struct BenchCommand: AsyncParsableCommand {
    /// The subcommand's name, summary and help.
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Benchmark the bus beside a raw libzmq ROUTER baseline measured in the same run.",
        discussion: """
            By default runs the same in-process benchmark as `calls-bench bus`: it starts its own bus \
            service on loopback TCP (ephemeral ports, state in a fresh /tmp folder) and a raw ROUTER \
            that answers with a copy of a real reply, loads both alike, and prints a Markdown table \
            (requests/s, p50, p90, p99, ratio to the baseline), plus event publishing, event latency \
            and startup. With --endpoint it measures calls.get on a bus that is already running (as \
            --user, among the calls that user sees) beside the same baseline. Build with -c release \
            for meaningful figures; compare the ratios.
            """
    )

    /// Write the Markdown report to FILE instead of stdout.
    @Option(help: ArgumentHelp("Write the Markdown report to FILE instead of stdout.", valueName: "FILE"))
    var markdown: String?

    /// Write the raw numbers as JSON to FILE.
    @Option(help: ArgumentHelp("Write the raw numbers as JSON to FILE.", valueName: "FILE"))
    var json: String?

    /// Seconds of measurement per scenario.
    @Option(help: ArgumentHelp("Seconds of measurement per scenario.", valueName: "SECONDS"))
    var duration: Double = 3

    /// A running bus's request endpoint to measure instead of an in-process one.
    @Option(help: ArgumentHelp("Measure the running bus at this request endpoint.", valueName: "ENDPOINT"))
    var endpoint: String?

    /// Who asks the running bus.
    @Option(help: "The principal that reads calls on the running bus (default: admin).")
    var user: String = "admin"

    /// Tiny sizes and durations, for a smoke test.
    @Flag(help: "Tiny sizes and durations, for a smoke test.")
    var quick = false

    /// Checks the options; a failure is a usage error (exit 2).
    func validate() throws {
        guard duration > 0, duration <= 60 else { throw ValidationError("--duration must be between 0 and 60 seconds") }
    }

    /// Runs the command; failures exit with the documented codes.
    func run() async throws {
        var logger = Logger(label: "calls-bench")
        // One progress line per scenario, on stderr beside the report on stdout.
        logger.logLevel = .info
        do {
            let settings = BenchSettings(duration: duration, isQuick: quick)
            if let endpoint {
                let text = try await ExternalBusBenchmark.markdown(
                    endpoint: endpoint, user: user, settings: settings, logger: logger)
                try write(text)
                return
            }
            let report = try await BenchReport.run(.bus, settings: settings, logger: logger)
            try write(report.markdown)
            if let json {
                try report.jsonData().write(to: URL(fileURLWithPath: json))
            }
        } catch {
            throw BusSession.exitCode(reporting: error)
        }
    }

    private func write(_ text: String) throws {
        if let markdown {
            try Data(text.utf8).write(to: URL(fileURLWithPath: markdown))
        } else {
            FileHandle.standardOutput.write(Data(text.utf8))
        }
    }
}
