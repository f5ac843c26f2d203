import ArgumentParser
import CallsLoad
import Foundation
import Logging

/// `calls bench`: `calls.get` on a running bus, side by side with a raw libzmq baseline.
struct BenchCommand: AsyncParsableCommand {
    /// The subcommand's name, summary and help.
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Benchmark a running bus's calls.get beside a raw libzmq ROUTER baseline measured in the same run.",
        discussion: """
            Measures the bus at --endpoint from outside, as a client does: it reads the calls that \
            --user sees (calls.list, at most 1,000), starts a raw ROUTER in this process that answers \
            every request with a copy of a real calls.get reply, loads both alike (1 client lockstep, 8 \
            clients lockstep, 8 clients with 8 requests in flight each; alternating slices), and prints \
            a Markdown table: requests/s, p50, p90, p99 and max, and the bus's ratios to the baseline. \
            --endpoint is required: this command starts no bus of its own and links no server code. \
            The in-process benchmarks (the service's breakdown, events, startup, the gateway) are \
            `calls-bench`, and `make bench` measures the release calls-bus process from outside. \
            Build with -c release for meaningful figures; compare the ratios.
            """
    )

    /// The running bus's request endpoint.
    @Option(help: ArgumentHelp("The running bus's request endpoint (required).", valueName: "ENDPOINT"))
    var endpoint: String

    /// Who asks the running bus.
    @Option(help: "The principal that reads calls on the running bus.")
    var user: String = "admin"

    /// Write the Markdown report to FILE instead of stdout.
    @Option(help: ArgumentHelp("Write the Markdown report to FILE instead of stdout.", valueName: "FILE"))
    var markdown: String?

    /// Write the raw numbers as JSON to FILE.
    @Option(help: ArgumentHelp("Write the raw numbers as JSON to FILE.", valueName: "FILE"))
    var json: String?

    /// Seconds of measurement per load and server.
    @Option(help: ArgumentHelp("Seconds of measurement per load and server.", valueName: "SECONDS"))
    var duration: Double = 3

    /// Tiny sizes and durations, for a smoke test.
    @Flag(help: "A quarter second per load and few requests, for a smoke test.")
    var quick = false

    /// Checks the options; a failure is a usage error (exit 2).
    func validate() throws {
        guard duration > 0, duration <= 60 else { throw ValidationError("--duration must be between 0 and 60 seconds") }
    }

    /// Runs the command; failures exit with the documented codes.
    func run() async throws {
        var logger = Logger(label: "calls-bench")
        // One progress line per load, on stderr beside the report on stdout.
        logger.logLevel = .info
        do {
            let result = try await RunningBusBenchmark.run(
                endpoint: endpoint, user: user, seconds: quick ? min(duration, 0.25) : duration,
                maxRequests: quick ? 5_000 : 3_000_000, logger: logger)
            let text = Data(result.markdown.utf8)
            if let markdown {
                try text.write(to: URL(fileURLWithPath: markdown))
            } else {
                FileHandle.standardOutput.write(text)
            }
            if let json {
                try BenchJSON.data(result).write(to: URL(fileURLWithPath: json))
            }
        } catch {
            throw BusSession.exitCode(reporting: error)
        }
    }
}
