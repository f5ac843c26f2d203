import ArgumentParser
import CallsBusClient
import CallsBusMessages
import CallsJSON

/// `calls devices get ID`: one device.
struct GetDeviceCommand: AsyncParsableCommand {
    /// The subcommand's name, summary and help.
    static let configuration = CommandConfiguration(
        commandName: "get",
        abstract: "Show one device (devices.get) as key/value lines, or the raw reply."
    )

    /// Where the bus is, who asks, how long to wait.
    @OptionGroup var bus: BusOptions

    /// The device's id.
    @Argument(help: "The device's id.")
    var id: String

    /// Print the bus's reply as it came (one line of JSON).
    @Flag(help: "Print the bus's reply as it came (one line of JSON).")
    var json = false

    /// Runs the command; failures exit with the documented codes.
    func run() async throws {
        let request = BusRequest(operation: .getDevice, user: bus.resolvedUser, fields: ["id": .string(id)])
        try await BusSession.show(request, bus: bus, json: json) {
            try $0.decode(DeviceResource.self, at: "device").lines
        }
    }
}
