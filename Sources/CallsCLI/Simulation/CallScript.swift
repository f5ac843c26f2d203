import Calls

/// The actions of one call on one device, and its agent's state changes around it, written in
/// time order.
///
/// It follows the call's state as the contract's tables change it, so that the scenarios can ask
/// what the call allows before they add a step; it does not check them itself (the tests replay
/// whole plans through the real state machine for that).
struct CallScript {
    /// One action and the state it leaves.
    struct Entry {
        /// Seconds from the start of the run.
        var time: Double
        /// What to send.
        var action: SimulationAction
        /// Whether the call is still live afterwards.
        var isLiveAfter: Bool
        /// The other call of a consult pair when the action creates or releases it.
        var otherCall: CallLiveness?
    }

    /// The least time between two actions of one call: keeps them strictly ordered in the plan.
    static let minimumGap = 0.002

    /// The call's id.
    let callId: String
    /// The agent whose device the call is on.
    let agent: SimulationAgent
    /// The actions so far.
    private(set) var entries: [Entry] = []
    /// The call's state after the last action; `nil` before it is created.
    private(set) var state: CallState?
    /// Whether the device is muted.
    private(set) var mute: MuteState = .off
    /// The keys of the call's user data, in the order attached.
    private(set) var userDataKeys: [String] = []
    /// The call's participants as last reported.
    private(set) var participants: [String] = []
    /// The call's recording state; `nil` until recording first starts.
    private(set) var recording: RecordingState?
    /// When the next action happens.
    private(set) var now: Double

    /// A script for call `callId` on `agent`'s device, starting at `start`.
    init(callId: String, agent: SimulationAgent, start: Double) {
        self.callId = callId
        self.agent = agent
        now = start
    }

    /// A script for a consult call that an operation on another call created (`InitiateTransfer`,
    /// `InitiateConference`): `Dialing` from `start`, `phoneNumber` its one participant.
    init(consultCallId: String, agent: SimulationAgent, start: Double, phoneNumber: String) {
        self.init(callId: consultCallId, agent: agent, start: start)
        state = .dialing
        participants = [phoneNumber]
    }

    /// Whether the call exists and is not released.
    var isLive: Bool {
        state?.isLive ?? false
    }

    /// Moves the clock on by `seconds` (at least ``minimumGap``).
    mutating func wait(_ seconds: Double) {
        now += max(seconds, Self.minimumGap)
    }

    /// Moves the clock on to `time`, if that is later.
    mutating func advance(to time: Double) {
        now = max(now, time)
    }

    /// Adds a switch report for this call.
    mutating func report(
        _ type: TelephonyEventType, callType: CallType? = nil, participants: [String]? = nil, ani: String? = nil
    ) {
        let event = TelephonyEvent(
            type: type, callId: callId, deviceId: agent.deviceId, callType: callType, participants: participants,
            ani: ani)
        switch type {
        case .ringing: state = .ringing
        case .dialing: state = .dialing
        case .established, .retrieved: state = .established
        case .held: state = .held
        case .released: state = .released
        case .partiesChanged: break
        }
        if let participants { self.participants = participants }
        append(.telephony(event))
    }

    /// Adds an operation by the call's agent.
    /// - Parameter otherCall: the other call of a consult pair, when the operation creates it
    ///   (Initiate*) or releases it (`CompleteTransfer`).
    mutating func operate(_ operation: CallOperation, otherCall: CallLiveness? = nil) {
        switch operation {
        case .answer, .retrieve: state = .established
        case .hold, .initiateTransfer, .initiateConference: state = .held
        // The complete operations are sent to the consult call, which they release.
        case .hangup, .singleStepTransfer, .completeTransfer, .completeConference: state = .released
        case .swapCalls: state = state == .held ? .established : .held
        case .muteCall: mute = .on
        case .unmuteCall: mute = .off
        case .sendDtmf: break
        case .startCallRecording, .resumeCallRecording: recording = .recording
        case .pauseCallRecording: recording = .paused
        case .stopCallRecording: recording = .stopped
        case .singleStepConference(let number): participants.append(number)
        case .removeParticipantFromConference(let participant): participants.removeAll { $0 == participant }
        case .attachUserData(let pairs), .updateUserData(let pairs):
            for key in pairs.keys.sorted() where !userDataKeys.contains(key) { userDataKeys.append(key) }
        case .deleteUserData: userDataKeys = []
        case .deleteUserDataPair(let key): userDataKeys.removeAll { $0 == key }
        }
        append(.operation(user: agent.id, callId: callId, operation), otherCall: otherCall)
    }

    /// Adds a change of the agent's state (`users.operate` as the agent).
    mutating func changeAgentState(_ operation: UserOperation) {
        append(.agent(user: agent.id, operation))
    }

    /// Follows what an operation on the other call of its consult pair did to this call: nothing is
    /// sent for it, the state moves on at `time`.
    /// - Parameter addingParticipants: numbers a `CompleteConference` brought in.
    mutating func follow(_ state: CallState, at time: Double, addingParticipants: [String] = []) {
        advance(to: time)
        self.state = state
        participants += addingParticipants.filter { !participants.contains($0) }
    }

    private mutating func append(_ action: SimulationAction, otherCall: CallLiveness? = nil) {
        entries.append(Entry(time: now, action: action, isLiveAfter: isLive, otherCall: otherCall))
        now += Self.minimumGap
    }
}
