import ArgumentParser
import Calls
import CallsBusClient
import CallsBusMessages
import CallsJSON

/// `calls get ID`: one call.
struct GetCommand: AsyncParsableCommand {
    /// The subcommand's name, summary and help.
    static let configuration = CommandConfiguration(
        commandName: "get",
        abstract: "Show one call (calls.get) as key/value lines, or the raw reply.",
        discussion: "A call the user may not see answers as one that does not exist: statusCode 6, exit 1."
    )

    /// Where the bus is, who asks, how long to wait.
    @OptionGroup var bus: BusOptions

    /// The call's id.
    @Argument(help: "The call's id.")
    var id: String

    /// Print the bus's reply as it came (one line of JSON).
    @Flag(help: "Print the bus's reply as it came (one line of JSON).")
    var json = false

    /// Runs the command; failures exit with the documented codes.
    func run() async throws {
        let request = BusRequest(operation: .getCall, user: bus.resolvedUser, fields: ["id": .string(id)])
        try await BusSession.show(request, bus: bus, json: json) {
            Self.lines(for: try $0.decode(CallResource.self, at: "call"))
        }
    }

    /// The call as `key  value` lines; `ani`, `userData`, `recording` and `parent` (a consult call's
    /// `parentCallUri`) only when present.
    static func lines(for call: CallResource) -> [String] {
        var pairs: [(String, String)] = [
            ("id", call.id), ("state", call.state.rawValue), ("type", call.callType.rawValue),
            ("device", call.deviceId), ("mute", call.mute.rawValue),
        ]
        if let ani = call.ani { pairs.append(("ani", ani)) }
        pairs.append(("participants", call.participantsText))
        pairs.append(("capabilities", call.capabilities.map(\.rawValue).joined(separator: ", ")))
        if !call.userData.isEmpty { pairs.append(("userData", call.userDataText)) }
        if let recording = call.recordingState { pairs.append(("recording", recording.rawValue)) }
        if let parent = call.parentCallUri { pairs.append(("parent", parent)) }
        let width = pairs.map(\.0.count).max() ?? 0
        // An empty value (a released call's capabilities) shows as "-", so every line has two columns.
        return pairs.map { key, value in
            key + String(repeating: " ", count: width - key.count) + "  " + (value.isEmpty ? "-" : value)
        }
    }
}
