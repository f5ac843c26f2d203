public import Calls
public import Foundation

/// Values shared by the domain and wire tests: a clock reading, a directory, sample calls and operations.
public enum Fixture {
    public static let now = Date(timeIntervalSince1970: 1_700_000_000)
    public static let sanFrancisco = "+14155552671"

    /// The contract's example `participantsInfo` entry, for ``sanFrancisco``.
    public static let sanFranciscoInfo = ParticipantInfo(
        country: Country(name: "United States", code: "US", callingCode: "1"),
        location: "San Francisco, CA",
        localPhoneNumber: "(415) 555-2671",
        e164Digits: "+14155552671"
    )

    /// A stand-in for the phone-number enricher: knows ``sanFrancisco`` only.
    public static let participantInfo: @Sendable (String) -> ParticipantInfo? = { number in
        number == sanFrancisco ? sanFranciscoInfo : nil
    }

    public static let admin = Principal(
        id: "admin", role: .contactCenterAdmin, devices: ["dev-9000"], passwordHash: "$2b$10$x")
    public static let agent1 = Principal(
        id: "agent-1001", role: .agent, devices: ["dev-1001"], passwordHash: "$2b$10$y")
    public static let agent2 = Principal(id: "agent-1002", role: .agent, devices: ["dev-1002", "dev-1003"])
    public static let switch1 = Principal(id: "switch-1", role: .telephony)
    public static let gateway = Principal(id: "gateway", role: .agent, actsForUsers: true)

    public static func directory() throws -> Directory {
        try Directory(principals: [admin, agent1, agent2, switch1, gateway])
    }

    /// A call on agent-1001's device in `state`, with one participant, an ani and one user-data pair.
    public static func call(_ state: CallState, mute: MuteState = .off, id: String = "c1") -> Call {
        Call(
            id: id,
            deviceId: "dev-1001",
            state: state,
            callType: .inbound,
            participants: [sanFrancisco],
            ani: sanFrancisco,
            mute: mute,
            userData: ["a": "1"],
            releasedAt: state == .released ? now.addingTimeInterval(-10) : nil
        )
    }

    /// A valid operation for each capability.
    public static func operation(_ capability: Capability) -> CallOperation {
        switch capability {
        case .answer: .answer
        case .hangup: .hangup
        case .hold: .hold
        case .retrieve: .retrieve
        case .muteCall: .muteCall
        case .unmuteCall: .unmuteCall
        case .sendDtmf: .sendDtmf(digits: "12#")
        case .singleStepTransfer: .singleStepTransfer(phoneNumber: "+14155550000")
        case .singleStepConference: .singleStepConference(phoneNumber: "+14155550000")
        case .removeParticipantFromConference: .removeParticipantFromConference(participant: sanFrancisco)
        case .initiateTransfer: .initiateTransfer(phoneNumber: "5002", userData: ["case": "42"])
        case .initiateConference: .initiateConference(phoneNumber: "5002", userData: [:])
        case .completeTransfer: .completeTransfer
        case .completeConference: .completeConference
        case .swapCalls: .swapCalls(otherCallId: nil)
        case .startCallRecording: .startCallRecording
        case .pauseCallRecording: .pauseCallRecording
        case .resumeCallRecording: .resumeCallRecording
        case .stopCallRecording: .stopCallRecording
        case .attachUserData: .attachUserData(["b": "2"])
        case .updateUserData: .updateUserData(["a": "9"])
        case .deleteUserData: .deleteUserData
        case .deleteUserDataPair: .deleteUserDataPair(key: "a")
        }
    }

    public static func event(
        _ type: TelephonyEventType,
        callId: String = "c1",
        deviceId: String = "dev-1001",
        participants: [String]? = nil
    ) -> TelephonyEvent {
        TelephonyEvent(type: type, callId: callId, deviceId: deviceId, participants: participants)
    }
}
