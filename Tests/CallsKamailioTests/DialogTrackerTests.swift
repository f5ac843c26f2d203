import Calls
import CallsKamailio
import Testing

/// The mapping from Kamailio's dialog events to telephony events, as tables.
struct DialogTrackerTests {
    static let devices = ["5001": "dev-5001", "5002": "dev-5002"]
    static let key = DialogKey(entry: 7, id: 42)

    static func event(
        _ kind: DialogEvent.Kind, _ seq: Int, caller: String = "0612", callee: String = "5001",
        by: String? = nil, callId: String = "abc@host"
    ) -> DialogEvent {
        DialogEvent(kind: kind, sipCallId: callId, caller: caller, callee: callee, by: by, key: key, seq: seq)
    }

    /// `type callId` of each event, for compact tables.
    static func summary(_ outcome: DialogTracker.Outcome) -> [String] {
        guard case .report(let events) = outcome else { return ["\(outcome)"] }
        return events.map { "\($0.type.rawValue) \($0.callId)" }
    }

    @Test func anInboundCallRingsAnswersAndEnds() {
        var tracker = DialogTracker(devicesByNumber: Self.devices)
        guard case .report(let created) = tracker.apply(Self.event(.invite, 1)) else {
            Issue.record("no report")
            return
        }
        #expect(
            created == [
                TelephonyEvent(
                    type: .ringing, callId: "abc@host~dev-5001", deviceId: "dev-5001", callType: .inbound,
                    participants: ["0612"], ani: "0612")
            ])
        #expect(Self.summary(tracker.apply(Self.event(.answered, 2))) == ["Established abc@host~dev-5001"])
        #expect(Self.summary(tracker.apply(Self.event(.ended, 3, by: "0612"))) == ["Released abc@host~dev-5001"])
        #expect(tracker.dialogs.isEmpty)
    }

    @Test func anOutboundCallIsDialingAndHoldsByItsOwnReinvite() {
        var tracker = DialogTracker(devicesByNumber: Self.devices)
        let steps: [(DialogEvent, [String])] = [
            (Self.event(.invite, 1, caller: "5001", callee: "0699"), ["Dialing abc@host~dev-5001"]),
            (Self.event(.answered, 2, caller: "5001", callee: "0699"), ["Established abc@host~dev-5001"]),
            (Self.event(.hold, 3, caller: "5001", callee: "0699", by: "0699"), []),
            (Self.event(.hold, 4, caller: "5001", callee: "0699", by: "5001"), ["Held abc@host~dev-5001"]),
            (Self.event(.retrieve, 5, caller: "5001", callee: "0699", by: "5001"), ["Retrieved abc@host~dev-5001"]),
            (Self.event(.failed, 6, caller: "5001", callee: "0699"), ["Released abc@host~dev-5001"]),
        ]
        for (event, expected) in steps {
            #expect(Self.summary(tracker.apply(event)) == expected, "\(event.kind) \(event.seq)")
        }
    }

    @Test func aCallBetweenTwoAgentsIsTwoInternalCalls() {
        var tracker = DialogTracker(devicesByNumber: Self.devices)
        guard case .report(let created) = tracker.apply(Self.event(.invite, 1, caller: "5002", callee: "5001")) else {
            Issue.record("no report")
            return
        }
        #expect(created.map(\.type) == [.dialing, .ringing])
        #expect(created.map(\.callType) == [.internal, .internal])
        #expect(created.map(\.participants) == [["5001"], ["5002"]])
        #expect(created.map(\.ani) == [nil, nil])
        #expect(
            Self.summary(tracker.apply(Self.event(.answered, 2, caller: "5002", callee: "5001")))
                == ["Established abc@host~dev-5002", "Established abc@host~dev-5001"])
    }

    @Test func repeatsAndStrangersReportNothing() {
        var tracker = DialogTracker(devicesByNumber: Self.devices)
        _ = tracker.apply(Self.event(.invite, 1))
        #expect(tracker.apply(Self.event(.invite, 1)) == .repeated)
        _ = tracker.apply(Self.event(.ended, 2))
        #expect(tracker.apply(Self.event(.ended, 2)) == .repeated)
        #expect(tracker.apply(Self.event(.invite, 1, caller: "0611", callee: "0622", callId: "x")) == .notOurs)
    }

    @Test func aDialogFirstSeenMidwayIsCreatedThenMoved() {
        var tracker = DialogTracker(devicesByNumber: Self.devices)
        #expect(
            Self.summary(tracker.apply(Self.event(.answered, 2)))
                == ["Ringing abc@host~dev-5001", "Established abc@host~dev-5001"])
    }

    @Test func aBusReleaseEndsTheDialogOnceAndTheSwitchesEndReportsTheRest() {
        var tracker = DialogTracker(devicesByNumber: Self.devices)
        _ = tracker.apply(Self.event(.invite, 1, caller: "5002", callee: "5001"))
        _ = tracker.apply(Self.event(.answered, 2, caller: "5002", callee: "5001"))
        #expect(tracker.busReleased(callId: "abc@host~dev-5001") == Self.key)
        #expect(tracker.busReleased(callId: "abc@host~dev-5001") == nil)
        #expect(tracker.busReleased(callId: "someone-else") == nil)
        #expect(Self.summary(tracker.apply(Self.event(.ended, 3))) == ["Released abc@host~dev-5002"])
    }

    @Test func resynchronisationCreatesMovesReleasesAndEnds() {
        var tracker = DialogTracker(devicesByNumber: Self.devices)
        let dialogs = [
            // New to the bus, answered, held by the agent.
            DialogSnapshot(
                sipCallId: "new", key: DialogKey(entry: 1, id: 1), caller: "0612", callee: "5001", isConfirmed: true,
                heldBy: "5001", seq: 4),
            // Ringing on the bus, answered meanwhile.
            DialogSnapshot(
                sipCallId: "answered", key: DialogKey(entry: 1, id: 2), caller: "0612", callee: "5001",
                isConfirmed: true, seq: 2),
            // Hung up through the REST API while the adapter was away.
            DialogSnapshot(
                sipCallId: "hungup", key: DialogKey(entry: 1, id: 3), caller: "5001", callee: "0699",
                isConfirmed: true, seq: 2),
        ]
        let busCalls = [
            BusCall(callId: "answered~dev-5001", deviceId: "dev-5001", state: .ringing),
            BusCall(callId: "hungup~dev-5001", deviceId: "dev-5001", state: .released),
            BusCall(callId: "gone~dev-5002", deviceId: "dev-5002", state: .established),
        ]
        let plan = tracker.resynchronise(dialogs: dialogs, busCalls: busCalls)
        #expect(
            plan.events.map { "\($0.type.rawValue) \($0.callId)" } == [
                "Ringing new~dev-5001", "Established new~dev-5001", "Held new~dev-5001",
                "Established answered~dev-5001", "Released gone~dev-5002",
            ])
        #expect(plan.dialogsToEnd == [DialogKey(entry: 1, id: 3)])
        #expect(
            tracker.apply(
                DialogEvent(
                    kind: .hold, sipCallId: "new", caller: "0612", callee: "5001", by: "5001",
                    key: DialogKey(entry: 1, id: 1), seq: 4)) == .repeated)
    }
}
