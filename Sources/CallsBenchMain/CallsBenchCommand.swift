import ArgumentParser
import CallsBench

/// `calls-bench`: the project's benchmarks, printed as Markdown, with raw numbers as JSON.
@main
struct CallsBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calls-bench",
        abstract: "Benchmarks of the calls domain, bus service and REST gateway, printed as Markdown.",
        discussion: """
            Runs on loopback only (tcp://127.0.0.1 on ephemeral ports, state files in a fresh /tmp \
            folder). Build with -c release for meaningful figures; compare the ratios, which are \
            measured side by side in the same run.
            """,
        subcommands: [DomainCommand.self, BusCommand.self, GatewayCommand.self, AllCommand.self]
    )
}

/// `calls-bench domain`.
struct DomainCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "domain",
        abstract: "Registry apply, an agent's list at 100 vs 10,000 calls, phone-number enrichment, call JSON."
    )

    @OptionGroup var options: BenchOptions

    func run() async throws { try await options.run(.domain) }
}

/// `calls-bench bus`.
struct BusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bus",
        abstract: "calls.get against a raw ROUTER baseline, event publishing and latency, startup on 100,000 calls."
    )

    @OptionGroup var options: BenchOptions

    func run() async throws { try await options.run(.bus) }
}

/// `calls-bench gateway`.
struct GatewayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gateway",
        abstract: "GET /api/v2/me/calls/{id} on the REST gateway against a bare Hummingbird route, loaded by wrk."
    )

    @OptionGroup var options: BenchOptions

    func run() async throws { try await options.run(.gateway) }
}

/// `calls-bench all`.
struct AllCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "all",
        abstract: "The domain benchmarks, then the bus benchmarks, then the gateway benchmark, in one report."
    )

    @OptionGroup var options: BenchOptions

    func run() async throws { try await options.run([.domain, .bus, .gateway]) }
}
