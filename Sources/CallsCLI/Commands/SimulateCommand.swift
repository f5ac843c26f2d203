import ArgumentParser
import Calls
import CallsBusMessages
import Foundation

/// `calls simulate`: a telephony adapter that drives the bus with realistic traffic.
struct SimulateCommand: AsyncParsableCommand {
    /// The subcommand's name, summary and help.
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Drive the bus with realistic call traffic, as a switch adapter and its agents would.",
        discussion: """
            Plans the traffic first, from --seed alone (the same seed and options give the same plan), \
            then plays it in real time: Poisson arrivals at --rate; inbound calls (ringing with the \
            caller's number, answered, abandoned or rejected), outbound calls, internal calls between \
            two agents (one call on each device) and consultations, reported by the switch or initiated \
            by the agent (InitiateTransfer or InitiateConference; the switch reports the consult call \
            established; sometimes SwapCalls back and forth; then CompleteTransfer, CompleteConference \
            or back to the customer); holds, mutes, DTMF, user data, recordings (start, pause, resume, \
            stop), single-step conferences and removals, single-step transfers and hang-ups by either \
            side. Each agent logs in and goes Ready before its first call, and sometimes goes Not \
            Ready with a reason after one. Switch events are sent as the Telephony principal, \
            operations and agent state changes as the agent; a consult call that the bus names is \
            sent to by the id its Initiate reply carried (--print-plan shows the plan's stand-in, \
            <call>-t). Callers come from the \
            numbering plans of 22 countries. Ends after --calls arrivals have run their course, at \
            --duration (calls still live are released), or on SIGINT/SIGTERM (likewise). Without \
            either limit it runs for an hour. Prints live progress on stderr when it is a terminal, \
            and a summary; exit 1 when the bus refused any request.
            """
    )

    /// Where the bus is, who asks, how long to wait.
    @OptionGroup var bus: BusOptions

    /// The directory file: its agents and Telephony principal.
    @Option(help: ArgumentHelp("The directory file: its agents and Telephony principal.", valueName: "FILE"))
    var directory: String

    /// Use the first N agents that own a device.
    @Option(help: ArgumentHelp("Use the first N agents that own a device (default: all).", valueName: "N"))
    var agents: Int?

    /// Arrivals per second.
    @Option(help: ArgumentHelp("Arrivals per second.", valueName: "CALLS_PER_SECOND"))
    var rate: Double = 1

    /// Stop starting calls after this many seconds.
    @Option(help: ArgumentHelp("Stop starting calls after this many seconds.", valueName: "SECONDS"))
    var duration: Double?

    /// Stop after this many arrivals.
    @Option(help: ArgumentHelp("Stop after this many arrivals.", valueName: "N"))
    var calls: Int?

    /// The seed of the plan.
    @Option(help: ArgumentHelp("The seed of the plan (default: a random one, printed).", valueName: "S"))
    var seed: UInt64?

    /// The switch's principal.
    @Option(
        help: ArgumentHelp("The switch's principal (default: the directory's first Telephony one).", valueName: "ID"))
    var telephonyUser: String?

    /// The mean call length in seconds.
    @Option(
        help: ArgumentHelp(
            "Mean call length (default: what keeps about 80 % of the agents busy).", valueName: "SECONDS"))
    var callSeconds: Double?

    /// Prefix of every call id.
    @Option(help: ArgumentHelp("Prefix of every call id (default: sim-<start time>-).", valueName: "PREFIX"))
    var idPrefix: String?

    /// Print the plan, one request per line as JSON with its time, and send nothing.
    @Flag(help: "Print the plan, one request per line as JSON with its time, and send nothing.")
    var printPlan = false

    /// Checks the options; a failure is a usage error (exit 2).
    func validate() throws {
        guard rate.isFinite, rate > 0, rate <= 10_000 else {
            throw ValidationError("--rate must be above 0 and at most 10000")
        }
        if duration != nil, calls != nil { throw ValidationError("give --duration or --calls, not both") }
        if let duration, !(duration > 0 && duration <= 604_800) {
            throw ValidationError("--duration must be above 0 and at most a week (604800 s)")
        }
        if let calls, !(1...10_000_000).contains(calls) {
            throw ValidationError("--calls must be between 1 and 10000000")
        }
        if let agents, agents < 1 { throw ValidationError("--agents must be at least 1") }
        if let callSeconds, !(callSeconds >= 0.1 && callSeconds <= 3600) {
            throw ValidationError("--call-seconds must be between 0.1 and 3600")
        }
    }

    /// Runs the command; failures exit with the documented codes.
    func run() async throws {
        let directory: Directory
        let settings: SimulationSettings
        let telephonyUser: String
        do {
            directory = try Directory(contentsOf: URL(fileURLWithPath: self.directory))
            telephonyUser = try Self.telephonyUser(self.telephonyUser, in: directory)
            settings = SimulationSettings(
                agents: try SimulationAgent.agents(in: directory, limit: agents),
                rate: rate,
                limit: calls.map(SimulationSettings.Limit.calls) ?? .duration(duration ?? 3600),
                // Without a seed any seed will do; it is printed so that the run can be repeated.
                seed: seed ?? UInt64.random(in: 0...UInt64.max),
                idPrefix: idPrefix ?? "sim-\(String(Int(Date().timeIntervalSince1970), radix: 36))-",
                meanCallSeconds: callSeconds)
        } catch {
            throw BusSession.exitCode(reporting: UsageFailure("\(error)"))
        }
        let plan = PlanGenerator.plan(settings)
        if printPlan {
            for line in plan.jsonLines(telephonyUser: telephonyUser) { Output.line(line) }
            return
        }
        let run = SimulationRun(
            plan: plan, settings: settings, telephonyUser: telephonyUser, showsProgress: ProgressDisplay.isAvailable)
        try await BusSession.run(configuration: try bus.clientConfiguration(), handlingSignals: true) { client in
            try await run.run(client: client)
        }
    }

    /// The given Telephony principal, or the directory's first.
    /// - Throws: ``UsageFailure`` when there is none, or the one given is not a Telephony principal.
    static func telephonyUser(_ given: String?, in directory: Directory) throws -> String {
        if let given {
            guard directory.principal(id: given)?.role == .telephony else {
                throw UsageFailure("--telephony-user '\(given)' is not a Telephony principal of the directory")
            }
            return given
        }
        guard let first = directory.principals.first(where: { $0.role == .telephony }) else {
            throw UsageFailure("the directory has no Telephony principal to report switch events as")
        }
        return first.id
    }
}
