import Calls

/// The principals, numbers and calls every scenario uses.
///
/// Calls spread over 100 agents' devices, with every tenth call on a device nobody owns, as on a
/// switch that also carries calls of queues and trunks.
enum BenchFixtures {
    /// Sees every call: the user of the `calls.get` load.
    static let admin = "admin"
    /// The switch adapter that reports telephony events.
    static let telephony = "switch-1"
    /// How many agents the directory lists, each with one device.
    static let agentCount = 100
    /// A device no principal owns: warm-up calls go there.
    static let unownedDevice = "dev-unowned"

    /// The id of agent `index`.
    static func agentId(_ index: Int) -> String { "agent-\(index)" }

    /// The device of agent `index`.
    static func deviceId(_ index: Int) -> String { "dev-\(index)" }

    /// The device of the `index`-th generated call: every tenth on ``unownedDevice``, the others
    /// spread over the agents.
    static func device(forCall index: Int) -> String {
        index % 10 == 9 ? unownedDevice : deviceId(index % agentCount)
    }

    /// An admin, ``agentCount`` agents and the switch adapter.
    static let directory: Directory = {
        var principals = [
            Principal(id: admin, role: .contactCenterAdmin), Principal(id: telephony, role: .telephony),
        ]
        for index in 0..<agentCount {
            principals.append(Principal(id: agentId(index), role: .agent, devices: [deviceId(index)]))
        }
        // The fixture is fixed and valid; a failure here is a bug in this file.
        return try! Directory(principals: principals)
    }()

    /// Valid San Francisco numbers that callers come from: a few recur, as on a real switch.
    static let callerNumbers: [String] = (0..<64).map { "+1415555\(2600 + $0)" }

    /// The caller number of the `index`-th generated call.
    static func callerNumber(forCall index: Int) -> String { callerNumbers[index % callerNumbers.count] }

    /// An established inbound call with one `+` participant, so its JSON carries `participantsInfo`.
    static func establishedCall(id: String, index: Int) -> Call {
        let number = callerNumber(forCall: index)
        return Call(
            id: id, deviceId: device(forCall: index), state: .established, callType: .inbound,
            participants: [number], ani: number)
    }

    /// The id of the `index`-th preloaded call (`call-000042`): ids of equal length, equal replies.
    static func preloadedCallId(_ index: Int) -> String {
        let digits = String(index)
        return "call-" + String(repeating: "0", count: max(0, 6 - digits.count)) + digits
    }
}
