import Calls
import Foundation
import PropertyBased
import Testing

/// Arbitrary sequences of telephony events and operations keep the registry's invariants.
struct CallRegistryPropertyTests {
    static let callIds = ["c1", "c2", "c3"]
    static let devices = ["dev-1001", "dev-1002"]
    static let operations: [CallOperation] = [
        .answer, .hangup, .hold, .retrieve, .muteCall, .unmuteCall, .sendDtmf(digits: "12#"),
        .singleStepTransfer(phoneNumber: "+14155552671"), .attachUserData(["k": "v"]), .updateUserData(["k": "w"]),
        .deleteUserData, .deleteUserDataPair(key: "k"), .singleStepConference(phoneNumber: "5003"),
        .removeParticipantFromConference(participant: "+14155552671"),
        .initiateTransfer(phoneNumber: "5002", userData: [:]), .initiateConference(phoneNumber: "5002", userData: [:]),
        .completeTransfer, .completeConference, .swapCalls(otherCallId: nil), .startCallRecording,
        .pauseCallRecording, .resumeCallRecording, .stopCallRecording,
    ]

    /// One step: a telephony event or an operation, on one of a few calls and devices.
    enum Step: Sendable, CustomStringConvertible {
        case event(TelephonyEventType, callIndex: Int, deviceIndex: Int)
        case operation(Int, callIndex: Int)

        init(code: Int) {
            let callIndex = code % CallRegistryPropertyTests.callIds.count
            let rest = code / CallRegistryPropertyTests.callIds.count
            if rest % 2 == 0 {
                let types = TelephonyEventType.allCases
                self = .event(types[(rest / 2) % types.count], callIndex: callIndex, deviceIndex: (rest / 16) % 2)
            } else {
                self = .operation((rest / 2) % CallRegistryPropertyTests.operations.count, callIndex: callIndex)
            }
        }

        var description: String {
            switch self {
            case .event(let type, let call, let device): "\(type.rawValue) c\(call + 1) dev\(device)"
            case .operation(let index, let call): "\(CallRegistryPropertyTests.operations[index].name) c\(call + 1)"
            }
        }
    }

    static let directory = try! Directory(principals: [
        Principal(id: "agent-1001", role: .agent, devices: ["dev-1001"]),
        Principal(id: "agent-1002", role: .agent, devices: ["dev-1002"]),
    ])

    @Test func everySequenceKeepsTheInvariants() async {
        await propertyCheck(count: 300, input: Gen.int(in: 0...10_000).map(Step.init(code:)).array(of: 1...60)) {
            steps in
            var registry = CallRegistry(directory: Self.directory, releasedRetention: 3600)
            // New calls take ids c1…c3 too, so that later steps reach them.
            let ids = IdSource()
            registry.makeCallId = { ids.next() }
            var expectedSeq: UInt64 = 0
            let now = Date(timeIntervalSinceReferenceDate: 0)
            for step in steps {
                let before = registry.allCalls
                let capabilitiesBefore = Dictionary(
                    uniqueKeysWithValues: before.map { ($0.id, Set(registry.capabilities(of: $0))) })
                let callId: String
                let outcome: Result<AcceptedChange, CallsError>
                switch step {
                case .event(let type, let callIndex, let deviceIndex):
                    callId = Self.callIds[callIndex]
                    let event = TelephonyEvent(
                        type: type,
                        callId: callId,
                        deviceId: Self.devices[deviceIndex],
                        participants: type == .partiesChanged || type.isCreating ? ["+14155552671"] : nil
                    )
                    outcome = registry.apply(event, at: now)
                case .operation(let index, let callIndex):
                    callId = Self.callIds[callIndex]
                    outcome = registry.perform(Self.operations[index], callId: callId, at: now)
                }
                let previous = before.first { $0.id == callId }
                switch outcome {
                case .success(let change):
                    for event in change.events {
                        expectedSeq += 1
                        #expect(event.seq == expectedSeq, "seq rises by exactly one: \(step)")
                    }
                    #expect(previous?.state != .released, "a released call accepts nothing: \(step)")
                    // Every call that changed, or whose capabilities changed, has an event, and its last
                    // event shows what calls.get shows now.
                    let announced = Set(change.events.map(\.call.id))
                    for call in registry.allCalls {
                        let changed =
                            before.first { $0.id == call.id } != call
                            || capabilitiesBefore[call.id] != Set(registry.capabilities(of: call))
                        #expect(!changed || announced.contains(call.id), "\(call.id) changed unannounced: \(step)")
                        if let last = change.events.last(where: { $0.call.id == call.id }) {
                            #expect(last.call == call && last.capabilities == registry.capabilities(of: call))
                        }
                    }
                case .failure(let error):
                    #expect([1, 2, 6].contains(error.code.statusCode), "\(step): \(error)")
                    #expect(registry.allCalls == before, "a refusal changes nothing: \(step)")
                }
                #expect(registry.seq == expectedSeq)
                let calls = registry.allCalls
                for call in calls {
                    #expect(
                        Set(registry.capabilities(of: call)) == Self.expectedCapabilities(call, among: calls),
                        "capabilities follow the contract: \(step)")
                    #expect((call.state == .released) == (call.releasedAt != nil))
                }
            }
        }
    }

    final class IdSource: @unchecked Sendable {
        private var index = 0
        /// Every other id is one of ``callIds`` (so later steps reach new calls), the others fresh, so
        /// that the registry finds a free id even when all of ``callIds`` are taken.
        func next() -> String {
            index += 1
            let ids = CallRegistryPropertyTests.callIds
            return index.isMultiple(of: 2) ? ids[index / 2 % ids.count] : "n\(index)"
        }
    }

    /// The contract's section 2 rules, written out again so the test does not read the code's.
    static func expectedCapabilities(_ call: Call, among calls: [Call]) -> Set<Capability> {
        let userData: Set<Capability> = [.attachUserData, .updateUserData, .deleteUserData, .deleteUserDataPair]
        let live = { (id: String?) in calls.first { $0.id == id && $0.state != .released } }
        let parent = call.callType == .consult && call.state != .released ? live(call.parentCallId) : nil
        let consult =
            call.state == .released
            ? nil : calls.first { $0.callType == .consult && $0.parentCallId == call.id && $0.state != .released }
        let partner = parent ?? consult
        let recording: Set<Capability> =
            switch call.recordingState {
            case nil, .stopped: [.startCallRecording]
            case .recording: [.pauseCallRecording, .stopCallRecording]
            case .paused: [.resumeCallRecording, .stopCallRecording]
            }
        var expected: Set<Capability>
        switch call.state {
        case .ringing: return userData.union([.answer, .hangup])
        case .dialing: expected = userData.union([.hangup, .sendDtmf])
        case .established:
            expected = userData.union([
                .hangup, .hold, .sendDtmf, .singleStepTransfer, .singleStepConference,
                call.mute == .off ? .muteCall : .unmuteCall,
            ]).union(recording)
            if partner == nil { expected.formUnion([.initiateTransfer, .initiateConference]) }
            if call.participants.count >= 2 { expected.insert(.removeParticipantFromConference) }
        case .held:
            expected = userData.union([.hangup, .singleStepTransfer]).union(recording)
            if partner == nil { expected.insert(.retrieve) }
        case .released: return []
        }
        if parent != nil, call.state == .dialing || call.state == .established {
            switch call.consultOrigin {
            case .transfer: expected.insert(.completeTransfer)
            case .conference: expected.insert(.completeConference)
            case .reported, nil: expected.formUnion([.completeTransfer, .completeConference])
            }
        }
        if let partner, Set([call.state, partner.state]) == [.held, .established] { expected.insert(.swapCalls) }
        return expected
    }
}
