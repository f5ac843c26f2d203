import ArgumentParser
import CallsBusClient
import CallsBusMessages
import CallsJSON

/// `calls agent login|logout|ready|not-ready`: the user's agent state (`users.operate`).
struct AgentCommand: AsyncParsableCommand {
    /// What to do, as typed, and the GWS operation it sends.
    enum Action: String, ExpressibleByArgument, CaseIterable {
        case login, logout, ready
        case notReady = "not-ready"

        /// The `users.operate` `operationName`.
        var operationName: String {
            switch self {
            case .login: "StartContactCenterSession"
            case .logout: "EndContactCenterSession"
            case .ready: "Ready"
            case .notReady: "NotReady"
            }
        }
    }

    /// The subcommand's name, summary and help.
    static let configuration = CommandConfiguration(
        commandName: "agent",
        abstract: "Change --user's agent state: login, logout, ready, not-ready (users.operate).",
        discussion: """
            login starts a contact-centre session (StartContactCenterSession: LoggedOut -> NotReady), \
            logout ends it (EndContactCenterSession: -> LoggedOut), ready and not-ready (Ready, \
            NotReady with an optional --reason of 1 to 64 characters) need a session: while LoggedOut \
            the bus refuses them with statusCode 2, exit 1. The state shows on every device the user \
            owns (calls devices). Prints "ok" when the bus accepted it; a request that changes nothing \
            succeeds too.
            """
    )

    /// Where the bus is, who asks, how long to wait.
    @OptionGroup var bus: BusOptions

    /// What to do.
    @Argument(help: "login, logout, ready or not-ready.")
    var action: Action

    /// Why the agent is not ready (not-ready only).
    @Option(help: ArgumentHelp("Why the agent is not ready: 1 to 64 characters (not-ready only).", valueName: "TEXT"))
    var reason: String?

    /// Print the bus's reply as it came (one line of JSON) instead of ok.
    @Flag(help: "Print the bus's reply as it came (one line of JSON) instead of ok.")
    var json = false

    /// Checks the options; a failure is a usage error (exit 2).
    func validate() throws {
        if reason != nil, action != .notReady { throw ValidationError("--reason goes only with not-ready") }
    }

    /// The request's fields: the operation and its reason.
    var fields: [String: JSONValue] {
        var fields: [String: JSONValue] = ["operationName": .string(action.operationName)]
        if let reason { fields["reason"] = .string(reason) }
        return fields
    }

    /// Runs the command; failures exit with the documented codes.
    func run() async throws {
        let (request, json) = (BusRequest(operation: .operateUser, user: bus.resolvedUser, fields: fields), json)
        try await BusSession.run(configuration: try bus.clientConfiguration()) { client in
            let reply = try await client.send(request)
            if json { Output.line(reply.text) }
            _ = try reply.checked()
            if !json { Output.line("ok") }
        }
    }
}
