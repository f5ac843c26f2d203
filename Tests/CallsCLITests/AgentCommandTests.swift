import Calls
import CallsBusMessages
import CallsBusService
import CallsJSON
import CallsTesting
import Foundation
import Testing

/// `calls agent` against a real bus, run as the built executable.
@Suite(.timeLimit(.minutes(1)))
struct AgentCommandTests {
    /// The agent state `devices.get` shows on `dev-1001`: `state` and `reason` when there is one.
    private func userState(_ bus: TestBus) async throws -> JSONValue? {
        try await bus.withClient { client in
            try client.request(.getDevice, user: TestDirectory.admin, ["id": "dev-1001"])["device"]?["userState"]
        }
    }

    @Test func loginReadyNotReadyAndLogoutChangeTheAgentsState() async throws {
        try await TestBus.run { bus in
            let asAgent = ["--user", "agent-1001"] + bus.endpointArguments
            let steps: [([String], JSONValue)] = [
                (["login"], .object(["state": "NotReady"])),
                (["ready"], .object(["state": "Ready"])),
                (["not-ready", "--reason", "Break"], .object(["state": "NotReady", "reason": "Break"])),
                (["not-ready"], .object(["state": "NotReady"])),
                (["logout"], .object(["state": "LoggedOut"])),
            ]
            for (arguments, expected) in steps {
                let result = try await CLIProcess.run(["agent"] + arguments + asAgent)
                #expect(result.status == 0, "\(arguments): \(result.stderr)")
                #expect(result.stdout == "ok\n")
                #expect(try await userState(bus) == expected, "\(arguments)")
            }
            let json = try await CLIProcess.run(["agent", "login", "--json"] + asAgent)
            #expect(json.stdout == #"{"statusCode":0}"# + "\n")
        }
    }

    @Test func readyWhileLoggedOutIsRefusedAndChangesNothing() async throws {
        try await TestBus.run { bus in
            let refused = try await CLIProcess.run(["agent", "ready", "--user", "agent-1001"] + bus.endpointArguments)
            #expect(refused.status == 1)
            #expect(refused.stdout.isEmpty)
            #expect(refused.stderr.hasPrefix("calls: Ready is not allowed while LoggedOut"))
            #expect(refused.stderr.hasSuffix("(statusCode 2)\n"))
            #expect(try await userState(bus) == .object(["state": "LoggedOut"]))

            _ = try await CLIProcess.run(["agent", "login", "--user", "agent-1001"] + bus.endpointArguments)
            let long = try await CLIProcess.run(
                ["agent", "not-ready", "--reason", String(repeating: "x", count: 65), "--user", "agent-1001"]
                    + bus.endpointArguments)
            #expect(long.status == 1)
            #expect(long.stderr.hasSuffix("(statusCode 2)\n"))
            #expect(try await userState(bus) == .object(["state": "NotReady"]))

            let telephony = try await CLIProcess.run(["agent", "login", "--user", "switch-1"] + bus.endpointArguments)
            #expect(telephony.status == 1)
            #expect(telephony.stderr.hasSuffix("(statusCode 5)\n"))
        }
    }
}
