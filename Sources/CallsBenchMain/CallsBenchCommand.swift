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
        subcommands: [
            DomainCommand.self, BusCommand.self, OutsideCommand.self, GatewayCommand.self, CometDCommand.self,
            GroupCommand.self, AllCommand.self,
        ]
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

/// `calls-bench outside`.
struct OutsideCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "outside",
        abstract: "calls.get on the calls-bus program beside a raw libzmq server, loaded from a C program.",
        discussion: """
            Starts the calls-bus program on a state file of 10,000 calls and the raw server \
            calls-zmq-raw-router, and loads both alike with calls-zmq-load (1 client lockstep, 8 clients \
            lockstep, 8 clients × 8 in flight), each in a process of its own, in alternating slices. \
            `make bench-outside` builds the three (release) beside calls-bench and runs this.
            """
    )

    @OptionGroup var options: BenchOptions
    @OptionGroup var tools: OutsideToolOptions

    func run() async throws { try await options.run(.outside, outsideTools: tools.tools) }
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

/// `calls-bench cometd`.
struct CometDCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cometd",
        abstract: "CometD sessions held on the calls-gateway program under fan-out, beside its SSE stream.",
        discussion: """
            Starts the release calls-bus and calls-gateway (beside calls-bench by default) for each size, \
            holds that many CometD sessions (about 2% supervisors subscribed to everything), drives \
            telephony events through the bus, and reports publish-to-receipt latency, sessions lost, CPU \
            and memory per idle session. `make bench` runs 500, 1,000, 2,000 and 5,000.
            """
    )

    @OptionGroup var options: BenchOptions
    @OptionGroup var tools: OutsideToolOptions

    @Option(
        parsing: .upToNextOption,
        help: ArgumentHelp("Sessions held at once, one run per size (default: 500 1000 2000 5000).", valueName: "N"))
    var sessions: [Int] = []

    @Option(help: ArgumentHelp("Telephony events per second (default: 200).", valueName: "RATE"))
    var rate: Double?

    @Option(help: ArgumentHelp("Seconds of events per size (default: 10).", valueName: "SECONDS"))
    var seconds: Double?

    func validate() throws {
        guard sessions.allSatisfy({ $0 >= 2 && $0 <= 20_000 }) else {
            throw ValidationError("--sessions must be between 2 and 20,000")
        }
        guard (rate ?? 1) > 0, (rate ?? 1) <= 5_000 else { throw ValidationError("--rate must be in (0, 5000]") }
        guard (seconds ?? 1) > 0, (seconds ?? 1) <= 120 else { throw ValidationError("--seconds must be in (0, 120]") }
    }

    func run() async throws {
        let (sessions, rate, seconds) = (sessions, rate, seconds)
        try await options.run(.cometd, outsideTools: tools.tools) { settings in
            if !sessions.isEmpty { settings.cometdSessions = sessions }
            if let rate { settings.cometdEventRate = rate }
            if let seconds { settings.cometdSeconds = seconds }
        }
    }
}

/// `calls-bench group`.
struct GroupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "group",
        abstract: "calls-bus on PostgreSQL beside SQLite, and takeovers in a group of two (needs --postgres-url).",
        discussion: """
            Runs the release calls-bus (beside calls-bench by default) on a SQLite file and on a fresh \
            database of the PostgreSQL server that --postgres-url names (its user must be allowed to \
            create databases; they are dropped at the end), loads both with calls.get and telephony.event, \
            then starts two buses on another fresh database with the default --lease-timeout, kills the \
            active one (kill -9) --kills times while a client sends requests, and pauses it (SIGSTOP) once.
            """
    )

    @OptionGroup var options: BenchOptions
    @OptionGroup var tools: OutsideToolOptions

    @Option(help: ArgumentHelp("Takeovers after kill -9 (default: 10, 2 with --quick).", valueName: "N"))
    var kills: Int?

    func validate() throws {
        guard (kills ?? 1) >= 1, (kills ?? 1) <= 100 else { throw ValidationError("--kills must be in [1, 100]") }
    }

    func run() async throws {
        let kills = kills
        try await options.run(.group, outsideTools: tools.tools) { settings in
            if let kills { settings.groupKills = kills }
        }
    }
}

/// `calls-bench all`.
struct AllCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "all",
        abstract:
            "The domain benchmarks, the bus from outside, the bus group on PostgreSQL, the bus in-process, the gateway, then the CometD fan-out, in one report."
    )

    @OptionGroup var options: BenchOptions
    @OptionGroup var tools: OutsideToolOptions

    func run() async throws {
        try await options.run([.domain, .outside, .group, .bus, .gateway, .cometd], outsideTools: tools.tools)
    }
}
