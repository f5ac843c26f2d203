import ArgumentParser
import CallsBusClient
import CallsBusMessages

/// `calls devices list`: a table of the visible devices.
struct ListDevicesCommand: AsyncParsableCommand {
    /// The subcommand's name, summary and help.
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the devices the user may see (devices.list), as a table or as the raw reply.",
        discussion: """
            Columns: ID, PHONE (- when the directory gives none), AGENT STATE (the owner's: LoggedOut, \
            NotReady with its reason in brackets, Ready), DND (do-not-disturb, On or Off); sorted by id.
            """
    )

    /// Where the bus is, who asks, how long to wait.
    @OptionGroup var bus: BusOptions

    /// Print the bus's reply as it came (one line of JSON).
    @Flag(help: "Print the bus's reply as it came (one line of JSON).")
    var json = false

    /// Runs the command; failures exit with the documented codes.
    func run() async throws {
        let (user, json) = (bus.resolvedUser, json)
        try await BusSession.run(configuration: try bus.clientConfiguration()) { client in
            let reply = try await client.send(BusRequest(operation: .listDevices, user: user))
            if json {
                Output.line(reply.text)
                _ = try reply.checked()
                return
            }
            let devices = try reply.checked().decode([DeviceResource].self, at: "devices")
            for line in DeviceResource.table(devices).lines { Output.line(line) }
        }
    }
}
