import Calls
import CallsBusMessages
import CallsBusService
import CallsJSON
import CallsTesting
import Foundation
import Testing

/// `calls dial` against a real bus, run as the built executable.
@Suite(.timeLimit(.minutes(1)))
struct DialCommandTests {
    @Test func dialPrintsTheNewCallsIdAndTheCallIsDialing() async throws {
        try await TestBus.run { bus in
            let result = try await CLIProcess.run(
                [
                    "dial", "--device", "dev-1001", "--to", "+14155552671", "--user", "agent-1001", "--data",
                    "caseId=CS-7", "--user-data", "note=a=b",
                ] + bus.endpointArguments)
            #expect(result.status == 0, "\(result.stderr)")
            let id = result.stdout.trimmingCharacters(in: .newlines)
            #expect(id.count == 32 && id.allSatisfy { $0.isHexDigit && !$0.isUppercase })
            let call = try await bus.withClient { client in
                try client.request(.getCall, user: TestDirectory.agent1001, ["id": .string(id)])["call"]
            }
            #expect(call?["state"]?.stringValue == "Dialing")
            #expect(call?["callType"]?.stringValue == "Outbound")
            #expect(call?["participants"] == .array(["+14155552671"]))
            #expect(call?["userData"] == .object(["caseId": "CS-7", "note": "a=b"]))

            let json = try await CLIProcess.run(
                ["dial", "--device", "dev-1002", "--to", "5001", "--json"] + bus.endpointArguments)
            #expect(json.status == 0)
            let reply = try JSONValue(parsing: Data(json.stdout.utf8))
            #expect(reply.statusCode == 0)
            #expect(reply["id"]?.stringValue?.count == 32)
        }
    }

    @Test func anotherAgentsDeviceIsNotFoundAndABadNumberIsRefused() async throws {
        try await TestBus.run { bus in
            let hidden = try await CLIProcess.run(
                ["dial", "--device", "dev-1001", "--to", "5001", "--user", "agent-1002"] + bus.endpointArguments)
            #expect(hidden.status == 1)
            #expect(hidden.stdout.isEmpty)
            #expect(hidden.stderr.hasPrefix("calls: "))
            #expect(hidden.stderr.hasSuffix("(statusCode 6)\n"))

            let letters = try await CLIProcess.run(
                ["dial", "--device", "dev-1001", "--to", "55-CALL"] + bus.endpointArguments)
            #expect(letters.status == 1)
            #expect(letters.stderr.hasSuffix("(statusCode 2)\n"))
            #expect(letters.stderr.split(separator: "\n").count == 1)

            let telephony = try await CLIProcess.run(
                ["dial", "--device", "dev-1001", "--to", "5001", "--user", "switch-1"] + bus.endpointArguments)
            #expect(telephony.status == 1)
            #expect(telephony.stderr.hasSuffix("(statusCode 5)\n"))
            #expect(try await bus.listedStates().isEmpty)
        }
    }
}
