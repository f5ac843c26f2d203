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

    /// The permission the operation needs.
    public var requestKind: RequestKind {
        switch self {
        case .listCalls: .list
        case .getCall: .get
        case .operateCall: .operate
        case .telephonyEvent: .report
        case .replayEvents: .replay
        }
    }
}
