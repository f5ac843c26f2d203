import ArgumentParser
import Calls
import CallsBusClient
import CallsBusMessages

/// `calls list`: the calls the user may see.
struct ListCommand: AsyncParsableCommand {
    /// The subcommand's name, summary and help.
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the calls the user may see (calls.list), as a table or as the raw reply.",
        discussion: "Columns: ID, STATE, TYPE, DEVICE (the id in deviceUri), MUTE, PARTICIPANTS; sorted by id."
    )

    /// Where the bus is, who asks, how long to wait.
    @OptionGroup var bus: BusOptions

    /// Print the bus's reply as it came (one line of JSON).
    @Flag(help: "Print the bus's reply as it came (one line of JSON).")
    var json = false

    /// Runs the command; failures exit with the documented codes.
    func run() async throws {
        try await BusSession.show(BusRequest(operation: .listCalls, user: bus.resolvedUser), bus: bus, json: json) {
            Self.table(try $0.decode([CallResource].self, at: "calls")).lines
        }
    }

    /// The table of `calls`, sorted by id.
    static func table(_ calls: [CallResource]) -> TextTable {
        var table = TextTable(header: ["ID", "STATE", "TYPE", "DEVICE", "MUTE", "PARTICIPANTS"])
        for call in calls.sorted(by: { $0.id < $1.id }) {
            table.rows.append([
                call.id, call.state.rawValue, call.callType.rawValue, call.deviceId, call.mute.rawValue,
                call.participants.joined(separator: ","),
            ])
        }
        return table
    }
}
