import ArgumentParser
import CallsBench
import Foundation
import Logging

/// The options every subcommand takes, and how a run writes its report.
struct BenchOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Write the Markdown report to FILE instead of stdout.", valueName: "FILE"))
    var markdown: String?

    @Option(help: ArgumentHelp("Write the raw numbers as JSON to FILE.", valueName: "FILE"))
    var json: String?

    @Option(help: ArgumentHelp("Seconds of measurement per scenario.", valueName: "SECONDS"))
    var duration: Double = 3

    @Flag(help: "Tiny sizes and durations, for a smoke test.")
    var quick = false

    @Option(
        help: ArgumentHelp(
            "A PostgreSQL server, as a user allowed to create databases: also run the PostgreSQL scenarios, "
                + "each on a fresh database made there (and dropped afterwards).", valueName: "URL"))
    var postgresURL: String?

    func validate() throws {
        guard duration > 0, duration <= 60 else { throw ValidationError("--duration must be between 0 and 60 seconds") }
    }

    /// Runs `suites`, logging progress to stderr, and writes the report where asked.
    /// - Parameters:
    ///   - outsideTools: the programs of the outside and CometD suites, when they are among `suites`.
    ///   - adjust: changes to the settings a subcommand's own options make.
    func run(
        _ suites: BenchReport.Suites, outsideTools: OutsideTools? = nil,
        adjust: (inout BenchSettings) -> Void = { _ in }
    ) async throws {
        LoggingSystem.bootstrap { StreamLogHandler.standardError(label: $0) }
        let logger = Logger(label: "calls-bench")
        var settings = BenchSettings(duration: duration, isQuick: quick, postgresURL: postgresURL)
        adjust(&settings)
        let report = try await BenchReport.run(
            suites, settings: settings, outsideTools: outsideTools, logger: logger)
        if let markdown {
            try Data(report.markdown.utf8).write(to: URL(fileURLWithPath: markdown))
            logger.notice("markdown report written", metadata: ["bench.file": "\(markdown)"])
        } else {
            print(report.markdown, terminator: "")
        }
        if let json {
            try report.jsonData().write(to: URL(fileURLWithPath: json))
            logger.notice("json report written", metadata: ["bench.file": "\(json)"])
        }
    }
}
