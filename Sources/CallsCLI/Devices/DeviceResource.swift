/// A device as the contract's JSON object shows it (section 8), read for display.
struct DeviceResource: Decodable, Sendable, Hashable {
    /// The owner's agent state, as `userState` shows it.
    struct UserState: Decodable, Sendable, Hashable {
        /// `LoggedOut`, `NotReady` or `Ready`.
        var state: String
        /// Why the agent is not ready, when one was given.
        var reason: String?
    }

    /// The device's id.
    var id: String
    /// `<publicBaseURL>/api/v2/devices/<id>`.
    var uri: String
    /// The device's number, when the directory gives one.
    var phoneNumber: String?
    /// The owner's agent state.
    var userState: UserState
    /// `On` or `Off`.
    var doNotDisturb: String
    /// The device operations allowed now.
    var capabilities: [String]

    /// The agent state with its reason: `NotReady (Break)`.
    var agentStateText: String {
        userState.reason.map { "\(userState.state) (\($0))" } ?? userState.state
    }

    /// The table of `devices`, sorted by id: what `calls devices` prints.
    static func table(_ devices: [DeviceResource]) -> TextTable {
        var table = TextTable(header: ["ID", "PHONE", "AGENT STATE", "DND"])
        for device in devices.sorted(by: { $0.id < $1.id }) {
            table.rows.append([device.id, device.phoneNumber ?? "-", device.agentStateText, device.doNotDisturb])
        }
        return table
    }

    /// The device as `key  value` lines.
    var lines: [String] {
        let pairs: [(String, String)] = [
            ("id", id), ("phoneNumber", phoneNumber ?? "-"), ("agentState", agentStateText),
            ("doNotDisturb", doNotDisturb), ("capabilities", capabilities.joined(separator: ", ")), ("uri", uri),
        ]
        let width = pairs.map(\.0.count).max() ?? 0
        return pairs.map { key, value in key + String(repeating: " ", count: width - key.count) + "  " + value }
    }
}
