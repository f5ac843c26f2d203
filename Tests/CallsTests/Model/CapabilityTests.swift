import Calls
import Testing

struct CapabilityTests {
    static let gwsNames = [
        "Answer", "Hangup", "Hold", "Retrieve", "MuteCall", "UnmuteCall", "SendDtmf", "SingleStepTransfer",
        "SingleStepConference", "RemoveParticipantFromConference", "InitiateTransfer", "InitiateConference",
        "CompleteTransfer", "CompleteConference", "SwapCalls", "StartCallRecording", "PauseCallRecording",
        "ResumeCallRecording", "StopCallRecording", "AttachUserData", "UpdateUserData", "DeleteUserData",
        "DeleteUserDataPair",
    ]

    @Test func namesAreTheGWSOperationNames() {
        #expect(Capability.allCases.map(\.rawValue) == Self.gwsNames)
    }

    @Test(arguments: gwsNames)
    func everyNameReadsBack(name: String) throws {
        let capability = try #require(Capability(rawValue: name))
        #expect(capability.rawValue == name)
        #expect(Capability(rawValue: name.lowercased()) == nil)
    }
}
