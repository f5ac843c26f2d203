public import Foundation

/// A call on one device, as the registry stores it.
///
/// It has one stored form (`Call+Storage` in `CallsStore`) and one JSON object (`CallResource`,
/// made by `CallPresentation` in `CallsBusMessages`). ``capabilities`` are derived, never stored.
public struct Call: Sendable, Hashable {
    /// The most keys a call's `userData` may hold (contract section 11).
    public static let maximumUserDataKeys = 100
    /// The longest `userData` key, in characters (Unicode scalars, so that combining marks cannot
    /// hide length; contract section 11).
    public static let maximumUserDataKeyLength = 64
    /// The longest `userData` value, in characters (contract section 11).
    public static let maximumUserDataValueLength = 1024

    /// The `callId` the switch reported.
    public var id: String
    /// The device the call is on.
    public var deviceId: String
    /// Where the call is in its life.
    public var state: CallState
    /// The kind of call, fixed by the creating event.
    public var callType: CallType
    /// The other parties' numbers as the switch reported them.
    public var participants: [String]
    /// The number the call came from, as the creating event reported it; shown only for inbound calls.
    public var ani: String?
    /// Whether the device is muted.
    public var mute: MuteState
    /// Key-value pairs attached to the call.
    public var userData: [String: String]
    /// When the call became ``CallState/released`` (the contract's `endTime`); the retention counts from here.
    public var releasedAt: Date?
    /// When the bus created the call (`startTime`); `nil` for a call stored before the bus kept times.
    public var startTime: Date?
    /// When the call first became ``CallState/established`` (`connectedTime`); `nil` before.
    public var connectedTime: Date?
    /// For a consult call made from another call: that call's id (`parentCallUri` names it).
    public var parentCallId: String?
    /// For a call with a ``parentCallId``: how it was made, which decides how it may be completed.
    public var consultOrigin: ConsultOrigin?
    /// Whether the call is being recorded; `nil` until recording first starts.
    public var recordingState: RecordingState?

    /// Creates a call; a new call is not muted and carries no user data.
    public init(
        id: String,
        deviceId: String,
        state: CallState,
        callType: CallType,
        participants: [String] = [],
        ani: String? = nil,
        mute: MuteState = .off,
        userData: [String: String] = [:],
        releasedAt: Date? = nil,
        startTime: Date? = nil,
        connectedTime: Date? = nil,
        parentCallId: String? = nil,
        consultOrigin: ConsultOrigin? = nil,
        recordingState: RecordingState? = nil
    ) {
        self.id = id
        self.deviceId = deviceId
        self.state = state
        self.callType = callType
        self.participants = participants
        self.ani = ani
        self.mute = mute
        self.userData = userData
        self.releasedAt = releasedAt
        self.startTime = startTime
        self.connectedTime = connectedTime
        self.parentCallId = parentCallId
        self.consultOrigin = consultOrigin
        self.recordingState = recordingState
    }

    /// Whether the call is not ``CallState/released``.
    public var isLive: Bool {
        state.isLive
    }
}
