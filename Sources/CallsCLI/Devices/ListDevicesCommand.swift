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
        try await BusSession.show(BusRequest(operation: .listDevices, user: bus.resolvedUser), bus: bus, json: json) {
            DeviceResource.table(try $0.decode([DeviceResource].self, at: "devices")).lines
        }
    }
}
