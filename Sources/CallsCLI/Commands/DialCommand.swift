import ArgumentParser
import CallsBusClient
import CallsBusMessages
import CallsJSON

/// `calls dial --device DEV --to NUMBER`: a new outbound call from a device.
struct DialCommand: AsyncParsableCommand {
    /// The subcommand's name, summary and help.
    static let configuration = CommandConfiguration(
        commandName: "dial",
        abstract: "Make a call from a device (calls.dial) and print the new call's id.",
        discussion: """
            The new call is Dialing and Outbound, with the number as its one participant; its id is \
            the bus's (32 hexadecimal characters). The device must be visible to --user (its owner, or \
            an admin): any other answers as one that does not exist, statusCode 6, exit 1. --to is 1 \
            to 32 characters of + 0-9 * # (a + only first); the bus refuses others with statusCode 2.
            """
    )

    /// Where the bus is, who asks, how long to wait.
    @OptionGroup var bus: BusOptions

    /// The device to call from.
    @Option(help: ArgumentHelp("The device to call from.", valueName: "ID"))
    var device: String

    /// The number to call.
    @Option(help: ArgumentHelp("The number to call.", valueName: "NUMBER"))
    var to: String

    /// User data to attach to the new call.
    @OptionGroup var userData: UserDataOptions

    /// Print the bus's reply as it came (one line of JSON) instead of the id.
    @Flag(help: "Print the bus's reply as it came (one line of JSON) instead of the id.")
    var json = false

    /// The request's fields: the device, the destination and the user data given.
    var fields: [String: JSONValue] {
        var fields: [String: JSONValue] = [
            "deviceId": .string(device), "destination": .object(["phoneNumber": .string(to)]),
        ]
        if let pairs = userData.userData { fields["userData"] = pairs }
        return fields
    }

    /// Runs the command; failures exit with the documented codes.
    func run() async throws {
        let (request, json) = (BusRequest(operation: .dial, user: bus.resolvedUser, fields: fields), json)
        try await BusSession.run(configuration: try bus.clientConfiguration()) { client in
            let reply = try await client.send(request)
            if json { Output.line(reply.text) }
            let id = try reply.checked().string("id")
            if !json { Output.line(id ?? "ok") }
        }
    }
}
