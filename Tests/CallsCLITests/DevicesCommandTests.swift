import Calls
import CallsBusMessages
import CallsBusService
import CallsJSON
import CallsTesting
import Foundation
import Testing

/// `calls devices` (list, get, dnd) against a real bus, run as the built executable.
@Suite(.timeLimit(.minutes(1)))
struct DevicesCommandTests {
    /// Two agents whose devices have numbers, one device without, an admin and a switch.
    static let directory: Directory = {
        let json = """
            {"principals": [
              {"id": "admin", "role": "ContactCenterAdmin"},
              {"id": "agent-1001", "role": "Agent", "devices": [{"id": "dev-1001", "phoneNumber": "5001"}]},
              {"id": "agent-1002", "role": "Agent", "devices": [{"id": "dev-1002", "phoneNumber": "5002"}, "dev-1003"]},
              {"id": "switch-1", "role": "Telephony"}
            ]}
            """
        // Fixed and valid: a failure here is a broken test suite.
        return try! Directory(jsonData: Data(json.utf8))
    }()

    /// A table's rows split on runs of two or more spaces.
    private func cells(_ line: String) -> [String] {
        line.components(separatedBy: "  ").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    @Test func listShowsTheVisibleDevicesAsATableAndTheRawReply() async throws {
        try await TestBus.run(directory: Self.directory) { bus in
            let admin = try await CLIProcess.run(["devices"] + bus.endpointArguments)
            #expect(admin.status == 0, "\(admin.stderr)")
            #expect(
                admin.lines.map(cells) == [
                    ["ID", "PHONE", "AGENT STATE", "DND"], ["dev-1001", "5001", "LoggedOut", "Off"],
                    ["dev-1002", "5002", "LoggedOut", "Off"], ["dev-1003", "-", "LoggedOut", "Off"],
                ])
            let agent = try await CLIProcess.run(["devices", "list", "--user", "agent-1001"] + bus.endpointArguments)
            #expect(agent.lines.dropFirst().map { cells($0)[0] } == ["dev-1001"])

            let json = try await CLIProcess.run(["devices", "--json", "--user", "agent-1002"] + bus.endpointArguments)
            let reply = try JSONValue(parsing: Data(json.stdout.utf8))
            #expect(reply["deviceSeq"] == .number(0))
            #expect(reply["devices"]?.arrayValue?.compactMap { $0["id"]?.stringValue } == ["dev-1002", "dev-1003"])
        }
    }

    @Test func dndTurnsDoNotDisturbOnAndOffAndGetShowsIt() async throws {
        try await TestBus.run(directory: Self.directory) { bus in
            let on = try await CLIProcess.run(
                ["devices", "dnd", "on", "dev-1001", "--user", "agent-1001"] + bus.endpointArguments)
            #expect(on.status == 0, "\(on.stderr)")
            #expect(on.stdout == "ok\n")
            let get = try await CLIProcess.run(["devices", "get", "dev-1001"] + bus.endpointArguments)
            #expect(get.status == 0)
            let pairs = Dictionary(get.lines.map { (cells($0)[0], cells($0).dropFirst().joined(separator: " ")) }) {
                first, _ in first
            }
            #expect(pairs["doNotDisturb"] == "On")
            #expect(pairs["capabilities"] == "DoNotDisturbOff")
            #expect(pairs["phoneNumber"] == "5001")
            #expect(pairs["uri"]?.hasSuffix("/api/v2/devices/dev-1001") == true)

            let again = try await CLIProcess.run(["devices", "dnd", "on", "dev-1001"] + bus.endpointArguments)
            #expect(again.status == 1)
            #expect(again.stderr.hasPrefix("calls: DoNotDisturbOn is not allowed on device 'dev-1001'"))
            #expect(again.stderr.hasSuffix("(statusCode 2)\n"))

            let off = try await CLIProcess.run(["devices", "dnd", "off", "dev-1001", "--json"] + bus.endpointArguments)
            #expect(off.stdout == #"{"statusCode":0}"# + "\n")
            let json = try await CLIProcess.run(["devices", "get", "dev-1001", "--json"] + bus.endpointArguments)
            #expect(try JSONValue(parsing: Data(json.stdout.utf8))["device"]?["doNotDisturb"]?.stringValue == "Off")
        }
    }

    @Test func anotherAgentsDeviceIsNotFound() async throws {
        try await TestBus.run(directory: Self.directory) { bus in
            for arguments in [["get", "dev-1001"], ["dnd", "on", "dev-1001"]] {
                let result = try await CLIProcess.run(
                    ["devices"] + arguments + ["--user", "agent-1002"] + bus.endpointArguments)
                #expect(result.status == 1, "\(arguments)")
                #expect(result.stdout.isEmpty)
                #expect(result.stderr.hasSuffix("(statusCode 6)\n"), "\(result.stderr)")
            }
            let missing = try await CLIProcess.run(["devices", "get", "dev-9"] + bus.endpointArguments)
            #expect(missing.status == 1)
            #expect(missing.stderr.hasSuffix("(statusCode 6)\n"))
        }
    }
}
