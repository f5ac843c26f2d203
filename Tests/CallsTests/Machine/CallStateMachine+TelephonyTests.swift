import Calls
import CallsTesting
import Foundation
import Testing

/// Every telephony event from no call and from every state, against contract section 5 written out by hand.
struct CallStateMachineTelephonyTests {
    enum Start: String, CaseIterable, Sendable {
        case noCall, dialing, ringing, established, held, released

        var call: Call? {
            switch self {
            case .noCall: nil
            case .dialing: Fixture.call(.dialing)
            case .ringing: Fixture.call(.ringing)
            case .established: Fixture.call(.established)
            case .held: Fixture.call(.held)
            case .released: Fixture.call(.released)
            }
        }
    }

    struct Key: Hashable {
        var start: Start
        var event: TelephonyEventType
        init(_ start: Start, _ event: TelephonyEventType) {
            self.start = start
            self.event = event
        }
    }

    struct Expected {
        var state: CallState
        var notification: NotificationType = .statusChange
        /// The call type of a created call; `nil` when the call existed (its type must not change).
        var createdAs: CallType?
    }

    static let reported = ["+442079460958"]

    /// Every accepted (start, event); anything missing must be refused with 2.
    static let accepted: [Key: Expected] = [
        Key(.noCall, .ringing): Expected(state: .ringing, createdAs: .inbound),
        Key(.noCall, .dialing): Expected(state: .dialing, createdAs: .outbound),
        Key(.dialing, .established): Expected(state: .established),
        Key(.ringing, .established): Expected(state: .established),
        Key(.established, .held): Expected(state: .held),
        Key(.held, .retrieved): Expected(state: .established),
        Key(.dialing, .released): Expected(state: .released),
        Key(.ringing, .released): Expected(state: .released),
        Key(.established, .released): Expected(state: .released),
        Key(.held, .released): Expected(state: .released),
        Key(.dialing, .partiesChanged): Expected(state: .dialing, notification: .participantsUpdated),
        Key(.ringing, .partiesChanged): Expected(state: .ringing, notification: .participantsUpdated),
        Key(.established, .partiesChanged): Expected(state: .established, notification: .participantsUpdated),
        Key(.held, .partiesChanged): Expected(state: .held, notification: .participantsUpdated),
    ]

    @Test(arguments: Start.allCases, TelephonyEventType.allCases)
    func event(from start: Start, type: TelephonyEventType) throws {
        let before = start.call
        var machine = CallStateMachine(call: before)
        var event = Fixture.event(type, participants: Self.reported)
        event.ani = "5001"
        let action = machine.apply(event, at: Fixture.now)

        guard let expected = Self.accepted[Key(start, type)] else {
            guard case .refuse(let error) = action else {
                Issue.record("\(type) from \(start) should be refused, got \(action)")
                return
            }
            #expect(error.code == .invalidParameter)
            #expect(error.message.contains(type.rawValue))
            #expect(machine.call == before)
            return
        }
        guard case .publish(let changes) = action, changes.count == 1, let change = changes.first else {
            Issue.record("\(type) from \(start) should be accepted as one change, got \(action)")
            return
        }
        #expect(change.call.state == expected.state)
        #expect(change.notification == expected.notification)
        #expect(change.digits == nil)
        #expect(change.call.releasedAt == (expected.state == .released ? Fixture.now : nil))
        let connectsNow =
            expected.state == .established && before?.state != .established && before?.connectedTime == nil
        #expect(change.call.connectedTime == (connectsNow ? Fixture.now : before?.connectedTime))
        #expect(machine.call == change.call)
        if let createdAs = expected.createdAs {
            let created = Call(
                id: "c1", deviceId: "dev-1001", state: expected.state, callType: createdAs,
                participants: Self.reported, ani: "5001", startTime: Fixture.now
            )
            #expect(change.call == created)
        } else {
            let call = try #require(before)
            let replaced = type == .partiesChanged
            #expect(change.call.participants == (replaced ? Self.reported : call.participants))
            #expect(change.call.callType == call.callType)
            #expect(change.call.ani == call.ani)
            #expect(change.call.mute == call.mute)
            #expect(change.call.userData == call.userData)
        }
    }

    @Test(arguments: CallType.allCases)
    func creatingEventKeepsTheReportedCallType(callType: CallType) {
        var machine = CallStateMachine()
        let event = TelephonyEvent(type: .dialing, callId: "c9", deviceId: "dev-1", callType: callType)
        guard case .publish(let changes) = machine.apply(event, at: Fixture.now), let change = changes.first else {
            Issue.record("Dialing should create a call")
            return
        }
        #expect(change.call.callType == callType)
        #expect(change.call.participants == [])
        #expect(change.call.ani == nil)
        #expect(change.call.mute == .off)
    }

    struct Refusal: Sendable, CustomTestStringConvertible {
        var name: String
        var event: TelephonyEvent
        var code: CallsError.Code
        var mentions: String
        var testDescription: String { name }
    }

    static let refusals: [Refusal] = [
        Refusal(
            name: "another device", event: Fixture.event(.held, deviceId: "dev-2"), code: .invalidParameter,
            mentions: "dev-2"),
        Refusal(
            name: "PartiesChanged without participants", event: Fixture.event(.partiesChanged),
            code: .missingParameter, mentions: "participants"),
        Refusal(
            name: "empty callId", event: Fixture.event(.held, callId: ""), code: .invalidParameter,
            mentions: "callId"),
        Refusal(
            name: "creating event on a live call", event: Fixture.event(.ringing), code: .invalidParameter,
            mentions: "already exists"),
        Refusal(
            name: "another call id", event: Fixture.event(.held, callId: "c2"), code: .invalidParameter,
            mentions: "c2"),
    ]

    @Test(arguments: refusals)
    func refusedEventChangesNothing(_ refusal: Refusal) {
        let before = Fixture.call(.established)
        var machine = CallStateMachine(call: before)
        guard case .refuse(let error) = machine.apply(refusal.event, at: Fixture.now) else {
            Issue.record("expected a refusal")
            return
        }
        #expect(error.code == refusal.code)
        #expect(error.message.contains(refusal.mentions))
        #expect(machine.call == before)
    }
}
