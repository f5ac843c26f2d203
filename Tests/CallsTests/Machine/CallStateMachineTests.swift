import Calls
import CallsTesting
import Foundation
import Testing

/// Every operation from every state, against contract section 2 written out by hand.
struct CallStateMachineTests {
    enum Start: String, CaseIterable, Sendable {
        case dialing, ringing, established, establishedMuted, held, heldMuted, released

        var call: Call {
            switch self {
            case .dialing: Fixture.call(.dialing)
            case .ringing: Fixture.call(.ringing)
            case .established: Fixture.call(.established)
            case .establishedMuted: Fixture.call(.established, mute: .on)
            case .held: Fixture.call(.held)
            case .heldMuted: Fixture.call(.held, mute: .on)
            case .released: Fixture.call(.released)
            }
        }
    }

    struct Expected {
        var state: CallState
        var mute: MuteState
        var notification: NotificationType
        var userData: [String: String] = ["a": "1"]
        var digits: String?
        /// The participants after; `nil` when unchanged.
        var participants: [String]?
        var recordingState: RecordingState?
        /// For Initiate*: the consult call made beside the change, and how.
        var consult: ConsultOrigin?
    }

    struct Key: Hashable {
        var start: Start
        var operation: Capability
        init(_ start: Start, _ operation: Capability) {
            self.start = start
            self.operation = operation
        }
    }

    // The fixture call holds userData ["a": "1"]; attach adds "b": "2", update sets "a": "9", delete-pair removes "a".
    static let attached = ["a": "1", "b": "2"]
    static let updated = ["a": "9"]
    static let removed: [String: String] = [:]

    static func moved(_ state: CallState, _ mute: MuteState) -> Expected {
        Expected(state: state, mute: mute, notification: .statusChange)
    }

    static func data(_ state: CallState, _ mute: MuteState, _ userData: [String: String]) -> Expected {
        Expected(state: state, mute: mute, notification: .attachedDataChanged, userData: userData)
    }

    static func dtmf(_ state: CallState, _ mute: MuteState) -> Expected {
        Expected(state: state, mute: mute, notification: .dtmfSent, digits: "12#")
    }

    static func added(_ mute: MuteState) -> Expected {
        Expected(
            state: .established, mute: mute, notification: .participantsUpdated,
            participants: [Fixture.sanFrancisco, "+14155550000"])
    }

    static func recording(_ state: CallState, _ mute: MuteState) -> Expected {
        Expected(state: state, mute: mute, notification: .callRecordingStateChange, recordingState: .recording)
    }

    static func consult(_ mute: MuteState, _ origin: ConsultOrigin) -> Expected {
        Expected(state: .held, mute: mute, notification: .statusChange, consult: origin)
    }

    /// Every allowed (start, operation); anything missing must be refused with 2.
    static let allowed: [Key: Expected] = [
        Key(.ringing, .answer): moved(.established, .off),
        Key(.ringing, .hangup): moved(.released, .off),
        Key(.ringing, .attachUserData): data(.ringing, .off, attached),
        Key(.ringing, .updateUserData): data(.ringing, .off, updated),
        Key(.ringing, .deleteUserData): data(.ringing, .off, removed),
        Key(.ringing, .deleteUserDataPair): data(.ringing, .off, removed),

        Key(.dialing, .hangup): moved(.released, .off),
        Key(.dialing, .sendDtmf): dtmf(.dialing, .off),
        Key(.dialing, .attachUserData): data(.dialing, .off, attached),
        Key(.dialing, .updateUserData): data(.dialing, .off, updated),
        Key(.dialing, .deleteUserData): data(.dialing, .off, removed),
        Key(.dialing, .deleteUserDataPair): data(.dialing, .off, removed),

        Key(.established, .hangup): moved(.released, .off),
        Key(.established, .hold): moved(.held, .off),
        Key(.established, .sendDtmf): dtmf(.established, .off),
        Key(.established, .muteCall): moved(.established, .on),
        Key(.established, .singleStepTransfer): moved(.released, .off),
        Key(.established, .singleStepConference): added(.off),
        Key(.established, .initiateTransfer): consult(.off, .transfer),
        Key(.established, .initiateConference): consult(.off, .conference),
        Key(.established, .startCallRecording): recording(.established, .off),
        Key(.established, .attachUserData): data(.established, .off, attached),
        Key(.established, .updateUserData): data(.established, .off, updated),
        Key(.established, .deleteUserData): data(.established, .off, removed),
        Key(.established, .deleteUserDataPair): data(.established, .off, removed),

        Key(.establishedMuted, .hangup): moved(.released, .on),
        Key(.establishedMuted, .hold): moved(.held, .on),
        Key(.establishedMuted, .sendDtmf): dtmf(.established, .on),
        Key(.establishedMuted, .unmuteCall): moved(.established, .off),
        Key(.establishedMuted, .singleStepTransfer): moved(.released, .on),
        Key(.establishedMuted, .singleStepConference): added(.on),
        Key(.establishedMuted, .initiateTransfer): consult(.on, .transfer),
        Key(.establishedMuted, .initiateConference): consult(.on, .conference),
        Key(.establishedMuted, .startCallRecording): recording(.established, .on),
        Key(.establishedMuted, .attachUserData): data(.established, .on, attached),
        Key(.establishedMuted, .updateUserData): data(.established, .on, updated),
        Key(.establishedMuted, .deleteUserData): data(.established, .on, removed),
        Key(.establishedMuted, .deleteUserDataPair): data(.established, .on, removed),

        Key(.held, .hangup): moved(.released, .off),
        Key(.held, .retrieve): moved(.established, .off),
        Key(.held, .singleStepTransfer): moved(.released, .off),
        Key(.held, .startCallRecording): recording(.held, .off),
        Key(.held, .attachUserData): data(.held, .off, attached),
        Key(.held, .updateUserData): data(.held, .off, updated),
        Key(.held, .deleteUserData): data(.held, .off, removed),
        Key(.held, .deleteUserDataPair): data(.held, .off, removed),

        Key(.heldMuted, .hangup): moved(.released, .on),
        Key(.heldMuted, .retrieve): moved(.established, .on),
        Key(.heldMuted, .singleStepTransfer): moved(.released, .on),
        Key(.heldMuted, .startCallRecording): recording(.held, .on),
        Key(.heldMuted, .attachUserData): data(.held, .on, attached),
        Key(.heldMuted, .updateUserData): data(.held, .on, updated),
        Key(.heldMuted, .deleteUserData): data(.held, .on, removed),
        Key(.heldMuted, .deleteUserDataPair): data(.held, .on, removed),
    ]

    @Test(arguments: Start.allCases, Capability.allCases)
    func operation(from start: Start, operation capability: Capability) {
        let before = start.call
        var machine = CallStateMachine(call: before)
        let action = machine.perform(Fixture.operation(capability), at: Fixture.now, newCallId: "new-1")

        guard let expected = Self.allowed[Key(start, capability)] else {
            guard case .refuse(let error) = action else {
                Issue.record("\(capability) from \(start) should be refused, got \(action)")
                return
            }
            #expect(error.code == .invalidParameter)
            #expect(error.message.contains(capability.rawValue))
            #expect(machine.call == before)
            return
        }
        guard case .publish(let changes) = action, let change = changes.first else {
            Issue.record("\(capability) from \(start) should be allowed, got \(action)")
            return
        }
        #expect(changes.count == (expected.consult == nil ? 1 : 2))
        if let origin = expected.consult, changes.count == 2 {
            let made = changes[1].call
            #expect(made.id == "new-1" && made.deviceId == before.deviceId && made.state == .dialing)
            #expect(made.callType == .consult && made.parentCallId == before.id && made.consultOrigin == origin)
            #expect(made.participants == ["5002"] && made.startTime == Fixture.now && made.mute == .off)
            #expect(made.userData == (origin == .transfer ? ["case": "42"] : [:]))
            #expect(changes[1].notification == .statusChange)
        }
        #expect(change.call.recordingState == expected.recordingState)
        #expect(change.call.state == expected.state)
        #expect(change.call.mute == expected.mute)
        #expect(change.notification == expected.notification)
        #expect(change.call.userData == expected.userData)
        #expect(change.digits == expected.digits)
        #expect(change.call.releasedAt == (expected.state == .released ? Fixture.now : nil))
        #expect(change.call.participants == expected.participants ?? before.participants)
        #expect(change.call.callType == before.callType)
        #expect(machine.call == change.call)
    }

    @Test(arguments: [CallOperation.deleteUserData, .deleteUserDataPair(key: "absent")])
    func deletingNothingStillPublishes(operation: CallOperation) {
        var call = Fixture.call(.ringing)
        call.userData = [:]
        var machine = CallStateMachine(call: call)
        let expected = CallChange(call: call, notification: .attachedDataChanged)
        #expect(machine.perform(operation, at: Fixture.now) == .publish([expected]))
    }

    /// Contract section 11: a call's `userData` holds at most 100 keys, whatever the operations
    /// that fill it; one that would pass that is refused and changes nothing.
    @Test(arguments: [
        (99, 1, true), (60, 40, true), (60, 41, false), (100, 1, false), (100, 0, true),
    ])
    func userDataStopsAtOneHundredKeys(present: Int, added: Int, isAllowed: Bool) {
        var call = Fixture.call(.established)
        call.userData = Dictionary(uniqueKeysWithValues: (0..<present).map { ("old\($0)", "v") })
        var machine = CallStateMachine(call: call)
        let pairs = Dictionary(uniqueKeysWithValues: (0..<added).map { ("new\($0)", "v") })
        let action = machine.perform(.attachUserData(pairs), at: Fixture.now)
        if isAllowed {
            #expect(machine.call?.userData.count == present + added)
        } else {
            guard case .refuse(let error) = action else {
                Issue.record("expected a refusal, got \(action)")
                return
            }
            #expect(error.code == .invalidParameter)
            #expect(error.message.contains("at most 100 keys"))
            #expect(machine.call == call, "a refusal changes nothing")
        }
        // Replacing existing keys never counts twice.
        #expect(machine.perform(.updateUserData(["old0": "w"]), at: Fixture.now) != .refuse(.invalidParameter("")))
    }

    @Test func operatingWithoutACallIsNotFound() {
        var machine = CallStateMachine()
        guard case .refuse(let error) = machine.perform(.answer, at: Fixture.now) else {
            Issue.record("expected a refusal")
            return
        }
        #expect(error.code == .notFound)
        #expect(machine.call == nil)
    }
}
