import Calls
import CallsJSON
import CallsTesting
import Foundation
import Testing

/// Capabilities per state and mute (contract section 2), and the stored form.
struct CallTests {
    static let userData: [Capability] = [.attachUserData, .updateUserData, .deleteUserData, .deleteUserDataPair]

    /// What an established call with one participant, in no consult pair and never recorded, may also do.
    static let established: [Capability] = [
        .singleStepTransfer, .singleStepConference, .initiateTransfer, .initiateConference, .startCallRecording,
    ]

    static let table: [(CallState, MuteState, [Capability])] = [
        (.ringing, .off, [.answer, .hangup] + userData),
        (.ringing, .on, [.answer, .hangup] + userData),
        (.dialing, .off, [.hangup, .sendDtmf] + userData),
        (.dialing, .on, [.hangup, .sendDtmf] + userData),
        (.established, .off, [.hangup, .hold, .sendDtmf, .muteCall] + established + userData),
        (.established, .on, [.hangup, .hold, .sendDtmf, .unmuteCall] + established + userData),
        (.held, .off, [.hangup, .retrieve, .singleStepTransfer, .startCallRecording] + userData),
        (.held, .on, [.hangup, .retrieve, .singleStepTransfer, .startCallRecording] + userData),
        (.released, .off, []),
        (.released, .on, []),
    ]

    @Test(arguments: table)
    func capabilities(state: CallState, mute: MuteState, expected: [Capability]) {
        let call = Fixture.call(state, mute: mute)
        #expect(Set(call.capabilities) == Set(expected))
        #expect(call.capabilities.count == Set(call.capabilities).count, "no capability repeats")
        for capability in Capability.allCases {
            #expect(call.allows(capability) == expected.contains(capability))
        }
    }

    @Test func newCallIsUnmutedWithoutUserData() {
        let call = Call(id: "c1", deviceId: "d1", state: .ringing, callType: .inbound)
        #expect(call.mute == .off)
        #expect(call.userData.isEmpty)
        #expect(call.participants.isEmpty)
        #expect(call.ani == nil)
        #expect(call.releasedAt == nil)
    }
}
