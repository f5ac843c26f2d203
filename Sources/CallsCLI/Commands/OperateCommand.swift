import ArgumentParser
import Calls
import CallsBusClient
import CallsBusMessages
import CallsJSON

/// `calls operate ID OPERATION`: one GWS operation on a call.
struct OperateCommand: AsyncParsableCommand {
    /// The subcommand's name, summary and help.
    static let configuration = CommandConfiguration(
        commandName: "operate",
        abstract: "Operate a call (calls.operate): Answer, Hangup, Hold, Retrieve, SendDtmf, and so on.",
        discussion: """
            Prints "ok" when the bus accepted the operation. Parameters: SendDtmf needs --digits, \
            SingleStepTransfer --to, AttachUserData and UpdateUserData one or more --data, \
            DeleteUserDataPair --key.
            """
    )

    /// Where the bus is, who asks, how long to wait.
    @OptionGroup var bus: BusOptions

    /// The call's id.
    @Argument(help: "The call's id.")
    var id: String

    /// The GWS operation name, exact case (`Hold`).
    @Argument(
        help: "The GWS operation name, exact case: \(Capability.allCases.map(\.rawValue).joined(separator: ", ")).")
    var operation: String

    /// DTMF digits to send (SendDtmf): 1 to 32 of 0-9 * # A B C D.
    @Option(help: "DTMF digits to send (SendDtmf): 1 to 32 of 0-9 * # A B C D.")
    var digits: String?

    /// The transfer destination's phone number (SingleStepTransfer).
    @Option(help: ArgumentHelp("The transfer destination's phone number (SingleStepTransfer).", valueName: "NUMBER"))
    var to: String?

    /// User-data pairs, `KEY=VALUE` each.
    @Option(
        help: ArgumentHelp(
            "A user-data pair (AttachUserData, UpdateUserData); repeat for more.", valueName: "KEY=VALUE"))
    var data: [String] = []

    /// The user-data key to delete (DeleteUserDataPair).
    @Option(help: ArgumentHelp("The user-data key to delete (DeleteUserDataPair).", valueName: "K"))
    var key: String?

    /// Print the bus's reply as it came (one line of JSON) instead of ok.
    @Flag(help: "Print the bus's reply as it came (one line of JSON) instead of ok.")
    var json = false

    /// Checks the options; a failure is a usage error (exit 2).
    func validate() throws {
        guard Capability(rawValue: operation) != nil else {
            let known = Capability.allCases.map(\.rawValue).joined(separator: ", ")
            throw ValidationError("unknown operation '\(operation)'; expected one of \(known)")
        }
        for pair in data where !pair.contains("=") || pair.hasPrefix("=") {
            throw ValidationError("--data '\(pair)' must be KEY=VALUE with a non-empty key")
        }
    }

    /// The request's fields: the call id, the operation and the parameters given.
    var fields: [String: JSONValue] {
        var fields: [String: JSONValue] = ["id": .string(id), "operationName": .string(operation)]
        if let digits { fields["digits"] = .string(digits) }
        if let to { fields["destination"] = .object(["phoneNumber": .string(to)]) }
        if !data.isEmpty {
            var pairs: [String: JSONValue] = [:]
            for pair in data {
                let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                pairs[String(parts[0])] = .string(parts.count > 1 ? String(parts[1]) : "")
            }
            fields["userData"] = .object(pairs)
        }
        if let key { fields["key"] = .string(key) }
        return fields
    }

    /// Runs the command; failures exit with the documented codes.
    func run() async throws {
        let (request, json) = (BusRequest(operation: .operateCall, user: bus.resolvedUser, fields: fields), json)
        try await BusSession.run(configuration: try bus.clientConfiguration()) { client in
            let reply = try await client.send(request)
            if json { Output.line(reply.text) }
            _ = try reply.checked()
            if !json { Output.line("ok") }
        }
    }
}
