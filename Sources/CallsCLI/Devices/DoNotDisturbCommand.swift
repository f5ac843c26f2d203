import ArgumentParser
import CallsBusClient
import CallsBusMessages
import CallsJSON

/// `calls devices dnd on|off ID`: `DoNotDisturbOn` or `DoNotDisturbOff`.
struct DoNotDisturbCommand: AsyncParsableCommand {
    /// `on` or `off`, as typed.
    enum Setting: String, ExpressibleByArgument, CaseIterable {
        case on, off

        /// The `devices.operate` operation that sets it.
        var operationName: String {
            self == .on ? "DoNotDisturbOn" : "DoNotDisturbOff"
        }
    }

    /// The subcommand's name, summary and help.
    static let configuration = CommandConfiguration(
        commandName: "dnd",
        abstract: "Turn a device's do-not-disturb on or off (devices.operate DoNotDisturbOn/Off).",
        discussion: """
            Prints "ok" when the bus accepted it. Turning on what is already on (or off what is off) \
            is refused with statusCode 2, exit 1.
            """
    )

    /// Where the bus is, who asks, how long to wait.
    @OptionGroup var bus: BusOptions

    /// On or off.
    @Argument(help: "on or off.")
    var setting: Setting

    /// The device's id.
    @Argument(help: "The device's id.")
    var id: String

    /// Print the bus's reply as it came (one line of JSON) instead of ok.
    @Flag(help: "Print the bus's reply as it came (one line of JSON) instead of ok.")
    var json = false

    /// Runs the command; failures exit with the documented codes.
    func run() async throws {
        let fields: [String: JSONValue] = ["id": .string(id), "operationName": .string(setting.operationName)]
        let (request, json) = (BusRequest(operation: .operateDevice, user: bus.resolvedUser, fields: fields), json)
        try await BusSession.run(configuration: try bus.clientConfiguration()) { client in
            let reply = try await client.send(request)
            if json { Output.line(reply.text) }
            _ = try reply.checked()
            if !json { Output.line("ok") }
        }
    }
}
