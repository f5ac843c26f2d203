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
        abstract: "Operate a call (calls.operate): answer, hold, transfer, conference, swap, record, and so on.",
        discussion: """
            Prints "ok" when the bus accepted the operation; InitiateTransfer and InitiateConference \
            print the new consult call's id instead (the id the bus chose; send CompleteTransfer, \
            CompleteConference or SwapCalls to it). Parameters: SendDtmf needs --digits; \
            SingleStepTransfer, SingleStepConference, InitiateTransfer and InitiateConference --to \
            (the Initiate ones also take --data for the new call); RemoveParticipantFromConference \
            --participant; AttachUserData and UpdateUserData one or more --data; DeleteUserDataPair \
            --key; SwapCalls takes --other-call, the other call of the pair, optionally. The rest take \
            none. A missing parameter is refused by the bus with statusCode 1, one not valid now with 2.
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

    /// The destination's phone number (SingleStepTransfer, SingleStepConference, Initiate*).
    @Option(
        help: ArgumentHelp(
            "The destination's phone number (SingleStepTransfer, SingleStepConference, InitiateTransfer, "
                + "InitiateConference).",
            valueName: "NUMBER"))
    var to: String?

    /// The participant to remove (RemoveParticipantFromConference).
    @Option(
        help: ArgumentHelp(
            "The participant to remove, as the call lists it (RemoveParticipantFromConference).", valueName: "NUMBER"))
    var participant: String?

    /// The other call of the consult pair (SwapCalls).
    @Option(help: ArgumentHelp("The other call of the consult pair, its id or uri (SwapCalls).", valueName: "ID"))
    var otherCall: String?

    /// User-data pairs.
    @OptionGroup var userData: UserDataOptions

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
    }

    /// The request's fields: the call id, the operation and the parameters given.
    var fields: [String: JSONValue] {
        var fields: [String: JSONValue] = ["id": .string(id), "operationName": .string(operation)]
        if let digits { fields["digits"] = .string(digits) }
        if let to { fields["destination"] = .object(["phoneNumber": .string(to)]) }
        if let pairs = userData.userData { fields["userData"] = pairs }
        if let key { fields["key"] = .string(key) }
        if let participant { fields["participant"] = .string(participant) }
        if let otherCall { fields["otherCallUri"] = .string(otherCall) }
        return fields
    }

    /// Runs the command; failures exit with the documented codes.
    func run() async throws {
        let (request, json) = (BusRequest(operation: .operateCall, user: bus.resolvedUser, fields: fields), json)
        try await BusSession.run(configuration: try bus.clientConfiguration()) { client in
            let reply = try await client.send(request)
            if json { Output.line(reply.text) }
            // Only Initiate* replies carry an id: the new consult call's.
            let id = try reply.checked().string("id")
            if !json { Output.line(id ?? "ok") }
        }
    }
}
