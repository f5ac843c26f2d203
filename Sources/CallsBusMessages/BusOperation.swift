public import Calls

/// The `op` of a bus request: defined once here, spelled as on the wire.
public enum BusOperation: String, Sendable, Hashable, CaseIterable, Codable {
    /// Every call visible to the user, with the snapshot's `seq`.
    case listCalls = "calls.list"
    /// One call by id.
    case getCall = "calls.get"
    /// A GWS operation on one call (`operationName` and its parameters).
    case operateCall = "calls.operate"
    /// A switch adapter reports what happened on a device.
    case telephonyEvent = "telephony.event"
    /// The kept events after a `seq`, for a subscriber that saw a gap.
    case replayEvents = "events.replay"
    /// Make a call from a device (`deviceId`, `destination`, optional `userData`).
    case dial = "calls.dial"
    /// The devices visible to the user, with the snapshot's `deviceSeq`.
    case listDevices = "devices.list"
    /// One device by id.
    case getDevice = "devices.get"
    /// `DoNotDisturbOn` or `DoNotDisturbOff` on one device.
    case operateDevice = "devices.operate"
    /// The requesting user.
    case getUser = "users.get"
    /// A change of the requesting user's agent state.
    case operateUser = "users.operate"

    /// The permission the operation needs.
    public var requestKind: RequestKind {
        switch self {
        case .listCalls: .list
        case .getCall: .get
        case .operateCall: .operate
        case .telephonyEvent: .report
        case .replayEvents: .replay
        case .dial: .dial
        case .listDevices, .getDevice: .readDevices
        case .operateDevice: .operateDevice
        case .getUser: .readUser
        case .operateUser: .operateUser
        }
    }
}
