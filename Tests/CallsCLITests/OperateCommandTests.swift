import Calls
import CallsBusMessages
import CallsBusService
import CallsJSON
import CallsTesting
import Foundation
import Testing

/// `calls operate` with contract v2's call control (conference, consult, swap, recording),
/// against a real bus, run as the built executable.
@Suite(.timeLimit(.minutes(1)))
struct OperateCommandTests {
    private static let caller = "+14155552671"

    /// `calls operate ARGUMENTS` as `agent-1001`; expects success and returns stdout without its newline.
    private func operate(_ bus: TestBus, _ arguments: [String]) async throws -> String {
        let result = try await CLIProcess.run(
            ["operate"] + arguments + ["--user", "agent-1001"] + bus.endpointArguments)
        #expect(result.status == 0, "\(arguments): \(result.stderr)")
        return result.stdout.trimmingCharacters(in: .newlines)
    }

    private func call(_ bus: TestBus, _ id: String) async throws -> JSONValue? {
        try await bus.withClient { client in
            try client.request(.getCall, user: TestDirectory.admin, ["id": .string(id)])["call"]
        }
    }

    /// An established inbound call `id` on `dev-1001`.
    private func established(_ bus: TestBus, _ id: String) async throws {
        try await bus.report("Ringing", callId: id, deviceId: "dev-1001", participants: [Self.caller])
        try await bus.report("Established", callId: id, deviceId: "dev-1001")
    }

    @Test func conferenceAndRecordingOperationsTakeTheirParameters() async throws {
        try await TestBus.run { bus in
            try await established(bus, "c-1")
            #expect(try await operate(bus, ["c-1", "SingleStepConference", "--to", "+442079460958"]) == "ok")
            #expect(try await call(bus, "c-1")?["participants"] == .array([.string(Self.caller), "+442079460958"]))
            #expect(
                try await operate(bus, ["c-1", "RemoveParticipantFromConference", "--participant", Self.caller]) == "ok"
            )
            #expect(try await call(bus, "c-1")?["participants"] == .array(["+442079460958"]))
            for operation in ["StartCallRecording", "PauseCallRecording", "ResumeCallRecording", "StopCallRecording"] {
                #expect(try await operate(bus, ["c-1", operation]) == "ok")
            }
            #expect(try await call(bus, "c-1")?["recordingState"]?.stringValue == "Stopped")

            let absent = try await CLIProcess.run(
                ["operate", "c-1", "RemoveParticipantFromConference", "--participant", "5001"] + bus.endpointArguments)
            #expect(absent.status == 1)
            #expect(absent.stderr.hasSuffix("(statusCode 2)\n"))
            let missing = try await CLIProcess.run(
                ["operate", "c-1", "SingleStepConference"] + bus.endpointArguments)
            #expect(missing.status == 1)
            #expect(missing.stderr.hasSuffix("(statusCode 1)\n"), "\(missing.stderr)")
        }
    }

    @Test func aConsultTransferWithSwapsPrintsTheConsultCallsId() async throws {
        try await TestBus.run { bus in
            try await established(bus, "c-1")
            let consult = try await operate(bus, ["c-1", "InitiateTransfer", "--to", "5002", "--data", "caseId=CS-1"])
            #expect(consult.count == 32 && consult.allSatisfy(\.isHexDigit), "\(consult)")
            #expect(try await call(bus, "c-1")?["state"]?.stringValue == "Held")
            let made = try await call(bus, consult)
            #expect(made?["callType"]?.stringValue == "Consult")
            #expect(made?["userData"] == .object(["caseId": "CS-1"]))
            try await bus.report("Established", callId: consult, deviceId: "dev-1001")

            #expect(try await operate(bus, [consult, "SwapCalls", "--other-call", "c-1"]) == "ok")
            #expect(try await call(bus, "c-1")?["state"]?.stringValue == "Established")
            let wrong = try await CLIProcess.run(
                ["operate", "c-1", "SwapCalls", "--other-call", "c-9"] + bus.endpointArguments)
            #expect(wrong.status == 1)
            #expect(wrong.stderr.hasSuffix("(statusCode 2)\n"))
            #expect(try await operate(bus, ["c-1", "SwapCalls"]) == "ok")
            #expect(try await call(bus, consult)?["state"]?.stringValue == "Established")

            let get = try await CLIProcess.run(["get", consult] + bus.endpointArguments)
            #expect(get.lines.contains { $0.hasPrefix("parent") && $0.hasSuffix("/calls/c-1") }, "\(get.stdout)")
            #expect(try await operate(bus, [consult, "CompleteTransfer"]) == "ok")
            #expect(try await bus.listedStates() == ["\(consult) Released", "c-1 Released"].sorted())
        }
    }

    @Test func aConsultConferenceBringsTheConsultedPartyIn() async throws {
        try await TestBus.run { bus in
            try await established(bus, "c-1")
            let json = try await CLIProcess.run(
                ["operate", "c-1", "InitiateConference", "--to", "5002", "--json", "--user", "agent-1001"]
                    + bus.endpointArguments)
            let reply = try JSONValue(parsing: Data(json.stdout.utf8))
            #expect(reply.statusCode == 0)
            let consult = try #require(reply["id"]?.stringValue)
            #expect(try await operate(bus, [consult, "CompleteConference"]) == "ok")
            let parent = try await call(bus, "c-1")
            #expect(parent?["state"]?.stringValue == "Established")
            #expect(parent?["participants"] == .array([.string(Self.caller), "5002"]))

            let again = try await CLIProcess.run(["operate", consult, "CompleteConference"] + bus.endpointArguments)
            #expect(again.status == 1)
            #expect(again.stderr.hasSuffix("(statusCode 2)\n"))
        }
    }
}
