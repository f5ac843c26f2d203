import Calls
import CallsTesting
import Foundation
import Testing

/// Call control across two calls (contract section 2): every event, in order, with consecutive
/// `seq`s and the capabilities `calls.get` then shows, written out by hand.
struct ConsultPairTests {
    /// One expected event: call id, state, notification, and the capabilities it carries.
    struct Seen: Equatable, CustomStringConvertible {
        var id: String
        var state: CallState
        var notification: NotificationType
        var capabilities: Set<Capability>

        init(_ id: String, _ state: CallState, _ notification: NotificationType, _ capabilities: Set<Capability>) {
            (self.id, self.state, self.notification, self.capabilities) = (id, state, notification, capabilities)
        }

        init(_ event: CallEvent) {
            self.init(event.call.id, event.call.state, event.notification, Set(event.capabilities))
        }

        var description: String {
            "\(id) \(state.rawValue) \(notification.rawValue) \(capabilities.map(\.rawValue).sorted())"
        }
    }

    static let data: Set<Capability> = [.attachUserData, .updateUserData, .deleteUserData, .deleteUserDataPair]
    /// A held parent while its consult call lives: no Retrieve, no Initiate*.
    static let heldParent: Set<Capability> = data.union([.hangup, .singleStepTransfer, .startCallRecording])
    static let dialingTransfer: Set<Capability> = data.union([.hangup, .sendDtmf, .completeTransfer])
    static let inPairEstablished: Set<Capability> = data.union([
        .hangup, .hold, .sendDtmf, .muteCall, .singleStepTransfer, .singleStepConference, .startCallRecording,
    ])
    static let established: Set<Capability> = inPairEstablished.union([.initiateTransfer, .initiateConference])
    static let held: Set<Capability> = heldParent.union([.retrieve])

    /// A registry with an established call `p` on agent-1001's device, and ids `k1`, `k2`, … for new calls.
    static func registry() throws -> CallRegistry {
        var registry = CallRegistry(directory: try Fixture.directory())
        let counter = Counter()
        registry.makeCallId = { counter.next() }
        let ringing = TelephonyEvent(type: .ringing, callId: "p", deviceId: "dev-1001", participants: ["+14155552671"])
        _ = try registry.apply(ringing, at: Fixture.now).get()
        _ = try registry.apply(Fixture.event(.established, callId: "p"), at: Fixture.now + 1).get()
        return registry
    }

    final class Counter: @unchecked Sendable {
        private var value = 0
        func next() -> String {
            value += 1
            return "k\(value)"
        }
    }

    static func perform(
        _ operation: CallOperation, on id: String, in registry: inout CallRegistry, at offset: TimeInterval = 10
    ) throws -> [Seen] {
        let seqBefore = registry.seq
        let change = try registry.perform(operation, callId: id, at: Fixture.now + offset).get()
        #expect(change.events.map(\.seq) == Array(seqBefore + 1...seqBefore + UInt64(change.events.count)))
        for event in change.events {
            // The last event of every call carries what calls.get answers.
            #expect(registry.capabilities(of: try #require(registry.call(id: event.call.id))) == event.capabilities)
        }
        return change.events.map(Seen.init)
    }

    @Test func initiateTransferHoldsTheCallAndDialsAConsultCall() throws {
        var registry = try Self.registry()
        let change = try registry.perform(
            .initiateTransfer(phoneNumber: "5002", userData: ["case": "7"]), callId: "p", at: Fixture.now + 10
        ).get()
        #expect(change.createdCallId == "k1")
        #expect(
            change.events.map(Seen.init) == [
                Seen("p", .held, .statusChange, Self.heldParent),
                Seen("k1", .dialing, .statusChange, Self.dialingTransfer),
            ])
        let consult = try #require(registry.call(id: "k1"))
        #expect(consult.parentCallId == "p" && consult.callType == .consult && consult.consultOrigin == .transfer)
        #expect(consult.participants == ["5002"] && consult.userData == ["case": "7"])
        #expect(consult.startTime == Fixture.now + 10 && consult.deviceId == "dev-1001")
        #expect(change.events.map(\.ownerId) == ["agent-1001", "agent-1001"])
    }

    @Test func completeTransferReleasesBothCalls() throws {
        var registry = try Self.registry()
        _ = try Self.perform(.initiateTransfer(phoneNumber: "5002", userData: [:]), on: "p", in: &registry)
        _ = try registry.apply(Fixture.event(.established, callId: "k1"), at: Fixture.now + 20).get()
        #expect(
            try Self.perform(.completeTransfer, on: "k1", in: &registry, at: 30) == [
                Seen("k1", .released, .statusChange, []), Seen("p", .released, .statusChange, []),
            ])
        #expect(registry.call(id: "p")?.releasedAt == Fixture.now + 30)
    }

    @Test func completeConferenceBringsTheConsultPartiesIntoTheParent() throws {
        var registry = try Self.registry()
        _ = try Self.perform(.initiateConference(phoneNumber: "5002", userData: [:]), on: "p", in: &registry)
        #expect(
            try Self.perform(.completeConference, on: "k1", in: &registry) == [
                Seen("k1", .released, .statusChange, []),
                Seen("p", .established, .statusChange, Self.established.union([.removeParticipantFromConference])),
            ])
        #expect(registry.call(id: "p")?.participants == ["+14155552671", "5002"])
        // The consult call is not a transfer: CompleteTransfer was never allowed on it.
        var other = try Self.registry()
        _ = try Self.perform(.initiateConference(phoneNumber: "5002", userData: [:]), on: "p", in: &other)
        #expect(other.perform(.completeTransfer, callId: "k1", at: Fixture.now) == .failure(.invalidParameter("")))
    }

    @Test func swapCallsHoldsTheEstablishedOneFirst() throws {
        var registry = try Self.registry()
        _ = try Self.perform(.initiateTransfer(phoneNumber: "5002", userData: [:]), on: "p", in: &registry)
        // The consult call connects: the parent may now swap too, so it gets an event after it.
        let connected = try registry.apply(Fixture.event(.established, callId: "k1"), at: Fixture.now + 20).get()
        let swappable = Self.inPairEstablished.union([.completeTransfer, .swapCalls])
        #expect(
            connected.events.map(Seen.init) == [
                Seen("k1", .established, .statusChange, swappable),
                Seen("p", .held, .statusChange, Self.heldParent.union([.swapCalls])),
            ])
        #expect(
            try Self.perform(.swapCalls(otherCallId: nil), on: "p", in: &registry) == [
                Seen("k1", .held, .statusChange, Self.heldParent.union([.swapCalls])),
                Seen("p", .established, .statusChange, Self.inPairEstablished.union([.swapCalls])),
            ])
        // Naming the partner is fine; naming any other call is 2 and changes nothing.
        _ = try Self.perform(.swapCalls(otherCallId: "p"), on: "k1", in: &registry)
        let seq = registry.seq
        #expect(
            registry.perform(.swapCalls(otherCallId: "zz"), callId: "p", at: Fixture.now)
                == .failure(.invalidParameter("")))
        #expect(registry.seq == seq)
    }

    @Test func endingEitherCallOfAPairGivesTheOtherItsCapabilitiesBack() throws {
        var registry = try Self.registry()
        _ = try Self.perform(.initiateTransfer(phoneNumber: "5002", userData: [:]), on: "p", in: &registry)
        #expect(
            try Self.perform(.hangup, on: "k1", in: &registry) == [
                Seen("k1", .released, .statusChange, []), Seen("p", .held, .statusChange, Self.held),
            ])
        var other = try Self.registry()
        _ = try Self.perform(.initiateTransfer(phoneNumber: "5002", userData: [:]), on: "p", in: &other)
        let released = try other.apply(Fixture.event(.released, callId: "p"), at: Fixture.now + 20).get()
        #expect(
            released.events.map(Seen.init) == [
                Seen("p", .released, .statusChange, []),
                Seen("k1", .dialing, .statusChange, Self.data.union([.hangup, .sendDtmf])),
            ])
        #expect(other.call(id: "k1")?.parentCallId == "p", "parentCallUri is kept after the parent is released")
    }

    @Test func aSwitchMayReportAConsultCall() throws {
        var registry = try Self.registry()
        let event = TelephonyEvent(type: .dialing, callId: "s1", deviceId: "dev-1001", parentCallId: "p")
        let change = try registry.apply(event, at: Fixture.now + 5).get()
        #expect(
            change.events.map(Seen.init) == [
                Seen(
                    "s1", .dialing, .statusChange,
                    Self.data.union([.hangup, .sendDtmf, .completeTransfer, .completeConference])),
                Seen("p", .established, .statusChange, Self.inPairEstablished),
            ])
        #expect(registry.call(id: "s1")?.callType == .consult)
        #expect(registry.call(id: "s1")?.consultOrigin == .reported)
        #expect(change.createdCallId == nil)
    }

    @Test(arguments: [
        ("unknown", "dev-1001"), ("p", "dev-1002"),
    ])
    func aReportedParentMustBeALiveCallOnTheSameDevice(parent: String, device: String) throws {
        var registry = try Self.registry()
        let seq = registry.seq
        let event = TelephonyEvent(type: .ringing, callId: "s1", deviceId: device, parentCallId: parent)
        #expect(registry.apply(event, at: Fixture.now) == .failure(.invalidParameter("")))
        #expect(registry.seq == seq && registry.call(id: "s1") == nil)
    }

    @Test func aReleasedParentIsRefusedToo() throws {
        var registry = try Self.registry()
        _ = try registry.perform(.hangup, callId: "p", at: Fixture.now + 2).get()
        let event = TelephonyEvent(type: .ringing, callId: "s1", deviceId: "dev-1001", parentCallId: "p")
        #expect(registry.apply(event, at: Fixture.now + 3) == .failure(.invalidParameter("")))
    }

    @Test func timesAreTakenWhenTheyHappenAndOnlyOnce() throws {
        var registry = try Self.registry()
        var call = try #require(registry.call(id: "p"))
        #expect(call.startTime == Fixture.now && call.connectedTime == Fixture.now + 1 && call.releasedAt == nil)
        _ = try registry.perform(.hold, callId: "p", at: Fixture.now + 5).get()
        _ = try registry.perform(.retrieve, callId: "p", at: Fixture.now + 6).get()
        _ = try registry.perform(.hangup, callId: "p", at: Fixture.now + 9).get()
        call = try #require(registry.call(id: "p"))
        #expect(call.startTime == Fixture.now && call.connectedTime == Fixture.now + 1)
        #expect(call.releasedAt == Fixture.now + 9)
    }

    @Test func dialMakesAnOutboundCallWithARandomId() throws {
        var registry = CallRegistry(directory: try Fixture.directory())
        let change = try registry.dial(from: "dev-1002", to: "+14155550000", userData: ["q": "1"], at: Fixture.now)
            .get()
        let id = try #require(change.createdCallId)
        #expect(id.count == 32 && id.allSatisfy { "0123456789abcdef".contains($0) })
        let call = try #require(registry.call(id: id))
        #expect(call.state == .dialing && call.callType == .outbound && call.participants == ["+14155550000"])
        #expect(call.userData == ["q": "1"] && call.startTime == Fixture.now)
        #expect(change.events.map(\.ownerId) == ["agent-1002"] && change.events.map(\.seq) == [1])
        #expect(CallRegistry.randomCallId() != CallRegistry.randomCallId())
    }

    /// Recording: (state before, operation, state after); anything else is 2.
    @Test(
        arguments: [
            (nil, CallOperation.startCallRecording, RecordingState.recording),
            (.stopped, .startCallRecording, .recording), (.recording, .pauseCallRecording, .paused),
            (.recording, .stopCallRecording, .stopped), (.paused, .resumeCallRecording, .recording),
            (.paused, .stopCallRecording, .stopped),
        ] as [(RecordingState?, CallOperation, RecordingState)])
    func recording(from before: RecordingState?, operation: CallOperation, to after: RecordingState) {
        var call = Fixture.call(.established)
        call.recordingState = before
        var machine = CallStateMachine(call: call)
        call.recordingState = after
        #expect(
            machine.perform(operation, at: Fixture.now)
                == .publish([CallChange(call: call, notification: .callRecordingStateChange)]))
    }

    @Test(arguments: [RecordingState?.none, .recording, .paused, .stopped])
    func recordingOperationsFollowTheRecordingState(state: RecordingState?) {
        var call = Fixture.call(.held)
        call.recordingState = state
        let recording = Set(call.capabilities).intersection([
            .startCallRecording, .pauseCallRecording, .resumeCallRecording, .stopCallRecording,
        ])
        let expected: Set<Capability> =
            switch state {
            case nil, .stopped: [.startCallRecording]
            case .recording: [.pauseCallRecording, .stopCallRecording]
            case .paused: [.resumeCallRecording, .stopCallRecording]
            }
        #expect(recording == expected)
    }

    @Test func conferenceParticipantsAreAddedOnceAndRemovedOnlyWhenPresent() throws {
        var registry = try Self.registry()
        let added = try Self.perform(.singleStepConference(phoneNumber: "5003"), on: "p", in: &registry)
        #expect(added.map(\.notification) == [.participantsUpdated])
        #expect(added.first?.capabilities.contains(.removeParticipantFromConference) == true)
        #expect(
            registry.perform(.singleStepConference(phoneNumber: "5003"), callId: "p", at: Fixture.now)
                == .failure(.invalidParameter("")))
        #expect(
            registry.perform(.removeParticipantFromConference(participant: "9"), callId: "p", at: Fixture.now)
                == .failure(.invalidParameter("")))
        _ = try Self.perform(.removeParticipantFromConference(participant: "+14155552671"), on: "p", in: &registry)
        #expect(registry.call(id: "p")?.participants == ["5003"])
        #expect(
            registry.capabilities(of: try #require(registry.call(id: "p"))).contains(.removeParticipantFromConference)
                == false)
    }
}
