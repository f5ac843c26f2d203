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
        .deleteUserData, .deleteUserDataPair(key: "k"),
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
            var expectedSeq: UInt64 = 0
            let now = Date(timeIntervalSinceReferenceDate: 0)
            for step in steps {
                let before = registry.allCalls
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
                    let event = change.events[0]
                    expectedSeq += 1
                    #expect(event.seq == expectedSeq, "seq rises by exactly one: \(step)")
                    #expect(previous?.state != .released, "a released call accepts nothing: \(step)")
                case .failure(let error):
                    #expect([1, 2, 6].contains(error.code.statusCode), "\(step): \(error)")
                    #expect(registry.allCalls == before, "a refusal changes nothing: \(step)")
                }
                #expect(registry.seq == expectedSeq)
                for call in registry.allCalls {
                    #expect(
                        Set(call.capabilities) == Self.expectedCapabilities(call), "capabilities follow state and mute")
                    #expect((call.state == .released) == (call.releasedAt != nil))
                }
            }
        }
    }

    /// The contract's section 2 table, written out again so the test does not read the code's.
    static func expectedCapabilities(_ call: Call) -> Set<Capability> {
        let userData: Set<Capability> = [.attachUserData, .updateUserData, .deleteUserData, .deleteUserDataPair]
        switch call.state {
        case .ringing: return userData.union([.answer, .hangup])
        case .dialing: return userData.union([.hangup, .sendDtmf])
        case .established:
            return userData.union([
                .hangup, .hold, .sendDtmf, .singleStepTransfer, call.mute == .off ? .muteCall : .unmuteCall,
            ])
        case .held: return userData.union([.hangup, .retrieve, .singleStepTransfer])
        case .released: return []
        }
    }
}
