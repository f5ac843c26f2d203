public import Calls

/// A call as the contract's JSON object shows it (section 1): what `calls.get`, `calls.list` and
/// every event body carry.
///
/// ``participantsInfo`` and ``userData`` are encoded only when non-empty, ``ani`` only when set;
/// a missing key decodes as empty or `nil`.
public struct CallResource: Codable, Sendable, Hashable {
    /// The call's id.
    public var id: String
    /// `<publicBaseURL>/api/v2/me/calls/<id>`.
    public var uri: String
    /// `/calls/<id>`.
    public var path: String
    /// The call's state.
    public var state: CallState
    /// The operations allowed now; empty when released.
    public var capabilities: [Capability]
    /// `<publicBaseURL>/api/v2/devices/<deviceId>`.
    public var deviceUri: String
    /// The other parties' numbers.
    public var participants: [String]
    /// The number an inbound call came from.
    public var ani: String?
    /// One entry per participant with a valid `+` number, in ``participants`` order.
    public var participantsInfo: [ParticipantInfo]
    /// `On` or `Off`.
    public var mute: MuteState
    /// The kind of call.
    public var callType: CallType
    /// Key-value pairs attached to the call.
    public var userData: [String: String]
    /// When the bus created the call (``Timestamp`` format); absent for calls stored before v2.
    public var startTime: String?
    /// When the call first became `Established`.
    public var connectedTime: String?
    /// When the call became `Released`.
    public var endTime: String?
    /// For a consult call made from another call: that call's `uri`.
    public var parentCallUri: String?
    /// `Recording`, `Paused` or `Stopped`; absent until recording first starts.
    public var recordingState: RecordingState?

    /// Creates a resource from its parts.
    public init(
        id: String,
        uri: String,
        path: String,
        state: CallState,
        capabilities: [Capability],
        deviceUri: String,
        participants: [String],
        ani: String?,
        participantsInfo: [ParticipantInfo],
        mute: MuteState,
        callType: CallType,
        userData: [String: String],
        startTime: String? = nil,
        connectedTime: String? = nil,
        endTime: String? = nil,
        parentCallUri: String? = nil,
        recordingState: RecordingState? = nil
    ) {
        self.id = id
        self.uri = uri
        self.path = path
        self.state = state
        self.capabilities = capabilities
        self.deviceUri = deviceUri
        self.participants = participants
        self.ani = ani
        self.participantsInfo = participantsInfo
        self.mute = mute
        self.callType = callType
        self.userData = userData
        self.startTime = startTime
        self.connectedTime = connectedTime
        self.endTime = endTime
        self.parentCallUri = parentCallUri
        self.recordingState = recordingState
    }

    enum CodingKeys: String, CodingKey {
        case id, uri, path, state, capabilities, deviceUri, participants, ani, participantsInfo, mute, callType
        case userData, startTime, connectedTime, endTime, parentCallUri, recordingState
    }

    /// Decodes the contract's JSON object; absent `participantsInfo` and `userData` are empty.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        uri = try container.decode(String.self, forKey: .uri)
        path = try container.decode(String.self, forKey: .path)
        state = try container.decode(CallState.self, forKey: .state)
        capabilities = try container.decode([Capability].self, forKey: .capabilities)
        deviceUri = try container.decode(String.self, forKey: .deviceUri)
        participants = try container.decode([String].self, forKey: .participants)
        ani = try container.decodeIfPresent(String.self, forKey: .ani)
        participantsInfo = try container.decodeIfPresent([ParticipantInfo].self, forKey: .participantsInfo) ?? []
        mute = try container.decode(MuteState.self, forKey: .mute)
        callType = try container.decode(CallType.self, forKey: .callType)
        userData = try container.decodeIfPresent([String: String].self, forKey: .userData) ?? [:]
        startTime = try container.decodeIfPresent(String.self, forKey: .startTime)
        connectedTime = try container.decodeIfPresent(String.self, forKey: .connectedTime)
        endTime = try container.decodeIfPresent(String.self, forKey: .endTime)
        parentCallUri = try container.decodeIfPresent(String.self, forKey: .parentCallUri)
        recordingState = try container.decodeIfPresent(RecordingState.self, forKey: .recordingState)
    }

    /// Encodes the contract's JSON object, leaving out empty `participantsInfo` and `userData`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(uri, forKey: .uri)
        try container.encode(path, forKey: .path)
        try container.encode(state, forKey: .state)
        try container.encode(capabilities, forKey: .capabilities)
        try container.encode(deviceUri, forKey: .deviceUri)
        try container.encode(participants, forKey: .participants)
        try container.encodeIfPresent(ani, forKey: .ani)
        if !participantsInfo.isEmpty {
            try container.encode(participantsInfo, forKey: .participantsInfo)
        }
        try container.encode(mute, forKey: .mute)
        try container.encode(callType, forKey: .callType)
        if !userData.isEmpty {
            try container.encode(userData, forKey: .userData)
        }
        try container.encodeIfPresent(startTime, forKey: .startTime)
        try container.encodeIfPresent(connectedTime, forKey: .connectedTime)
        try container.encodeIfPresent(endTime, forKey: .endTime)
        try container.encodeIfPresent(parentCallUri, forKey: .parentCallUri)
        try container.encodeIfPresent(recordingState, forKey: .recordingState)
    }
}
