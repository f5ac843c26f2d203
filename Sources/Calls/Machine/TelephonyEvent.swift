/// One report from a switch adapter (`telephony.event`), with the contract's keys.
public struct TelephonyEvent: Codable, Sendable, Hashable {
    /// What happened.
    public var type: TelephonyEventType
    /// The call it happened to.
    public var callId: String
    /// The device the call is on.
    public var deviceId: String
    /// The kind of call; read only by creating events, which default to `Inbound` for `Ringing`
    /// and `Outbound` for `Dialing`.
    public var callType: CallType?
    /// The other parties' numbers; read by creating events and required by `PartiesChanged`.
    public var participants: [String]?
    /// The number the call came from; read only by creating events.
    public var ani: String?
    /// For a creating event: a live call on the same device that this call consults (it becomes
    /// the new call's `parentCallUri`, and its `callType` is `Consult` unless the event names another).
    public var parentCallId: String?

    /// Creates an event.
    public init(
        type: TelephonyEventType,
        callId: String,
        deviceId: String,
        callType: CallType? = nil,
        participants: [String]? = nil,
        ani: String? = nil,
        parentCallId: String? = nil
    ) {
        self.type = type
        self.callId = callId
        self.deviceId = deviceId
        self.callType = callType
        self.participants = participants
        self.ani = ani
        self.parentCallId = parentCallId
    }
}
