import ArgumentParser
import CallsBusMessages

/// `calls watch`: follow call events as they happen.
struct WatchCommand: AsyncParsableCommand {
    /// The subcommand's name, summary and help.
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Print call and device events as they arrive, gaps filled from the bus's history, then a summary.",
        discussion: """
            Subscribes to calls/ as --user, or to calls/ID/ as user ID with --agent. Each event is one \
            line: time, seq, call id, notification, state and mute, participants (with --json: the event \
            body). A gap in the sequence (events dropped while the watcher was slow or suspended) is said \
            on stderr and filled from events.replay; when the history no longer reaches back, the mirror \
            is reloaded from calls.list. The watch ends after --count events, after --idle-exit seconds \
            without one, or on SIGINT/SIGTERM, and then prints a summary: counts and the mirrored calls \
            (id and state, sorted by id). Device events (agent state and do-not-disturb changes, \
            under devices/ or devices/ID/) are shown too, one line each with their deviceSeq, unless \
            --no-devices. They have no history to replay: after a jump in deviceSeq, and when an \
            --idle-exit watch ends, the watch reads devices.list again and says on stderr when events \
            were missed (with --agent, a jump is normal: other agents' events share the numbers, and \
            only a list that differs from the mirror is a loss). The summary then begins with the \
            devices as last seen. --count and the seq \
            numbers count call events only.
            """
    )

    /// Where the bus is, who asks, how long to wait.
    @OptionGroup var bus: BusOptions

    /// Watch one agent's calls, as that agent.
    @Option(help: ArgumentHelp("Watch one agent's calls, as that agent.", valueName: "ID"))
    var agent: String?

    /// Start with the kept events after this seq.
    @Option(help: ArgumentHelp("Start with the kept events after this seq.", valueName: "SEQ"))
    var after: UInt64?

    /// Stop after this many events.
    @Option(help: ArgumentHelp("Stop after this many events.", valueName: "N"))
    var count: Int?

    /// Stop after this many seconds without an event.
    @Option(help: ArgumentHelp("Stop after this many seconds without an event.", valueName: "SECONDS"))
    var idleExit: Double?

    /// Show device events (agent state, do-not-disturb) beside the calls'.
    @Flag(
        inversion: .prefixedNo,
        help: "Show device events (devices/, or devices/ID/ with --agent) beside the calls' (default: on).")
    var devices = true

    /// Print each event body, and the summary, as one line of JSON.
    @Flag(help: "Print each event body, and the summary, as one line of JSON.")
    var json = false

    /// Checks the options; a failure is a usage error (exit 2).
    func validate() throws {
        if let count, count < 1 { throw ValidationError("--count must be at least 1") }
        if let idleExit, !(idleExit > 0 && idleExit.isFinite) {
            throw ValidationError("--idle-exit must be a number of seconds above 0")
        }
        if let agent, agent.isEmpty { throw ValidationError("--agent needs an agent id") }
    }

    /// Runs the command; failures exit with the documented codes.
    func run() async throws {
        let watch = WatchRun(
            user: agent ?? bus.resolvedUser,
            prefix: agent.map { EventTopic.prefix(ownerId: $0) } ?? EventTopic.allCalls,
            after: after,
            count: count,
            idleExit: idleExit,
            printer: WatchPrinter(isJSON: json),
            devices: devices
                ? DeviceWatch(
                    user: agent ?? bus.resolvedUser,
                    prefix: agent.map { EventTopic.devicePrefix(ownerId: $0) } ?? EventTopic.allDevices,
                    printer: WatchPrinter(isJSON: json)) : nil
        )
        try await BusSession.run(configuration: try bus.clientConfiguration(), handlingSignals: true) { client in
            try await watch.run(client: client)
        }
    }
}
