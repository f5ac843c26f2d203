import Calls
import CallsBusMessages
import CallsBusService
import CallsJSON
import CallsTesting
import Foundation
import Testing

/// `calls list`, `get` and `operate` against a real bus, run as the built executable.
@Suite(.timeLimit(.minutes(1)))
struct CallsCommandTests {
    private static let caller = "+14155552671"

    private func seed(_ bus: TestBus) async throws {
        try await bus.report(
            "Ringing", callId: "c-1", deviceId: "dev-1001", participants: [Self.caller], ani: Self.caller)
        try await bus.report("Dialing", callId: "c-2", deviceId: "dev-1002", participants: ["5001"])
    }

    @Test func listPrintsATableAndTheRawReply() async throws {
        try await TestBus.run { bus in
            try await seed(bus)
            let table = try await CLIProcess.run(["list"] + bus.endpointArguments)
            #expect(table.status == 0)
            #expect(table.lines.count == 3)
            #expect(table.lines[0].split(separator: " ") == ["ID", "STATE", "TYPE", "DEVICE", "MUTE", "PARTICIPANTS"])
            #expect(
                table.lines[1].split(separator: " ") == [
                    "c-1", "Ringing", "Inbound", "dev-1001", "Off", "+14155552671",
                ])
            #expect(table.lines[2].split(separator: " ") == ["c-2", "Dialing", "Outbound", "dev-1002", "Off", "5001"])

            let json = try await CLIProcess.run(["list", "--json"] + bus.endpointArguments)
            #expect(json.status == 0)
            let reply = try JSONValue(parsing: Data(json.stdout.utf8))
            #expect(reply.statusCode == 0)
            #expect(reply["calls"]?.arrayValue?.compactMap { $0["id"]?.stringValue } == ["c-1", "c-2"])
        }
    }

    @Test func getPrintsKeyValueLinesWithWhereParticipantsAre() async throws {
        try await TestBus.run { bus in
            try await seed(bus)
            let result = try await CLIProcess.run(["get", "c-1"] + bus.endpointArguments)
            #expect(result.status == 0)
            let pairs = Dictionary(
                result.lines.map { line in
                    let parts = line.split(separator: " ", maxSplits: 1)
                    return (String(parts[0]), parts.count > 1 ? parts[1].trimmingCharacters(in: .whitespaces) : "")
                },
                uniquingKeysWith: { first, _ in first })
            #expect(pairs["state"] == "Ringing")
            #expect(pairs["type"] == "Inbound")
            #expect(pairs["device"] == "dev-1001")
            #expect(pairs["participants"] == "+14155552671 (San Francisco, CA, United States)")
            #expect(pairs["capabilities"]?.hasPrefix("Answer, Hangup") == true)

            let json = try await CLIProcess.run(["get", "c-1", "--json"] + bus.endpointArguments)
            let reply = try JSONValue(parsing: Data(json.stdout.utf8))
            #expect(reply["call"]?["participantsInfo"]?[0]?["country"]?["code"]?.stringValue == "US")
        }
    }

    @Test func operateSendsItsParametersAndPrintsOk() async throws {
        try await TestBus.run { bus in
            try await seed(bus)
            let steps: [[String]] = [
                ["c-1", "Answer"], ["c-1", "SendDtmf", "--digits", "12#"],
                ["c-1", "AttachUserData", "--data", "caseId=CS-1", "--data", "note=a=b"],
                ["c-1", "DeleteUserDataPair", "--key", "note"], ["c-1", "SingleStepTransfer", "--to", "+442079460958"],
            ]
            for step in steps {
                let result = try await CLIProcess.run(["operate"] + step + bus.endpointArguments)
                #expect(result.status == 0, "\(step): \(result.stderr)")
                #expect(result.stdout == "ok\n")
            }
            let call = try await bus.withClient { client in
                try client.request(.getCall, user: TestDirectory.admin, ["id": "c-1"])["call"]
            }
            #expect(call?["state"]?.stringValue == "Released")
            #expect(call?["userData"] == .object(["caseId": "CS-1"]))
            let json = try await CLIProcess.run(["operate", "c-2", "Hangup", "--json"] + bus.endpointArguments)
            #expect(json.stdout == #"{"statusCode":0}"# + "\n")
        }
    }

    @Test func aRefusalExitsWithOneAndTheBusMessageInOneLine() async throws {
        try await TestBus.run { bus in
            try await seed(bus)
            let refused = try await CLIProcess.run(["operate", "c-1", "Hold"] + bus.endpointArguments)
            #expect(refused.status == 1)
            #expect(refused.stdout.isEmpty)
            #expect(refused.stderr.hasPrefix("calls: Hold is not allowed on call 'c-1' in state Ringing"))
            #expect(refused.stderr.hasSuffix("(statusCode 2)\n"))
            #expect(refused.stderr.split(separator: "\n").count == 1)

            let hidden = try await CLIProcess.run(["get", "c-1", "--user", "agent-1002"] + bus.endpointArguments)
            #expect(hidden.status == 1)
            #expect(hidden.stderr == "calls: call 'c-1' not found (statusCode 6)\n")

            let stranger = try await CLIProcess.run(["list", "--user", "Admin", "--json"] + bus.endpointArguments)
            #expect(stranger.status == 1)
            #expect(try JSONValue(parsing: Data(stranger.stdout.utf8)).statusCode == 20)
        }
    }

    @Test(arguments: [
        ["operate"], ["operate", "c-1", "Jump"], ["operate", "c-1", "AttachUserData", "--data", "novalue"],
        ["list", "--timeout", "0"], ["list", "--bogus"], ["watch", "--count", "0"],
        ["simulate", "--directory", "/nonexistent/directory.json"], ["simulate", "--directory", "d", "--rate", "0"],
        ["simulate", "--directory", "d", "--calls", "3", "--duration", "3"], ["bench", "--duration", "0"],
        ["dial", "--to", "5001"], ["dial", "--device", "dev-1001", "--to", "5001", "--data", "=v"],
        ["devices", "dnd", "maybe", "dev-1001"], ["devices", "get"], ["agent", "dance"],
        ["agent", "ready", "--reason", "Break"], ["watch", "--devices", "--no-devices", "--bogus"],
    ])
    func usageErrorsExitWithTwo(arguments: [String]) async throws {
        let result = try await CLIProcess.run(arguments)
        #expect(result.status == 2, "\(arguments): \(result.stderr)")
        #expect(result.stderr.hasPrefix("calls: "))
        #expect(result.stderr.split(separator: "\n").count == 1)
    }

    @Test func aBusThatDoesNotAnswerExitsWithThree() async throws {
        let folder = TemporaryDirectory()
        defer { folder.remove() }
        let start = ContinuousClock.now
        let result = try await CLIProcess.run([
            "list", "--request-endpoint", folder.ipcEndpoint("nobody"), "--timeout", "0.3",
        ])
        #expect(result.status == 3)
        #expect(result.stderr == "calls: the bus is unavailable: not connected to \(folder.ipcEndpoint("nobody"))\n")
        #expect(ContinuousClock.now - start < .seconds(10))
    }

    @Test func optionsFallBackToTheEnvironmentAndWinOverIt() async throws {
        try await TestBus.run { bus in
            try await seed(bus)
            let environment = [
                "CALLS_REQUEST_ENDPOINT": bus.endpoints.request, "CALLS_EVENTS_ENDPOINT": bus.endpoints.events,
                "CALLS_USER": TestDirectory.agent1001,
            ]
            let asAgent = try await CLIProcess.run(["list"], environment: environment)
            #expect(asAgent.status == 0)
            #expect(asAgent.lines.dropFirst().map { $0.split(separator: " ")[0] } == ["c-1"])
            let asAdmin = try await CLIProcess.run(["list", "--user", "admin"], environment: environment)
            #expect(asAdmin.lines.count == 3)
            var elsewhere = environment
            elsewhere["CALLS_REQUEST_ENDPOINT"] = "ipc:///nonexistent/requests"
            let flagged = try await CLIProcess.run(
                ["list", "--request-endpoint", bus.endpoints.request], environment: elsewhere)
            #expect(flagged.status == 0)
        }
    }

    @Test(arguments: [
        "list", "get", "operate", "dial", "devices", "devices list", "devices get", "devices dnd", "agent", "watch",
        "simulate", "bench",
    ])
    func everySubcommandHasHelp(subcommand: String) async throws {
        let result = try await CLIProcess.run(subcommand.split(separator: " ").map(String.init) + ["--help"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("USAGE: calls \(subcommand)"))
    }

    @Test func theTopLevelHelpDocumentsTheExitCodes() async throws {
        let result = try await CLIProcess.run(["--help"])
        #expect(result.status == 0)
        for code in ["0  success", "1  the bus refused", "2  usage error", "3  the bus did not answer"] {
            #expect(result.stdout.contains(code))
        }
    }
}
