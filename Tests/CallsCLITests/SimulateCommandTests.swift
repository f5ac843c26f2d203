import Calls
import CallsBusMessages
import CallsBusService
import CallsJSON
import CallsTesting
import Foundation
import Testing

@testable import CallsCLI

#if canImport(Glibc)
    import Glibc
#endif

/// `calls simulate` against a real bus, run as the built executable.
@Suite(.timeLimit(.minutes(1)))
struct SimulateCommandTests {
    /// ``TestDirectory/standard`` as a directory file.
    private static let directoryJSON = """
        {"principals": [
          {"id": "admin", "role": "ContactCenterAdmin"},
          {"id": "agent-1001", "role": "Agent", "devices": ["dev-1001"]},
          {"id": "agent-1002", "role": "Agent", "devices": ["dev-1002"]},
          {"id": "switch-1", "role": "Telephony"}
        ]}
        """

    @Test func aShortSeededRunEndsWithoutErrorsAndLeavesThePlannedCalls() async throws {
        let folder = TemporaryDirectory()
        defer { folder.remove() }
        let file = folder.file("directory.json")
        try Data(Self.directoryJSON.utf8).write(to: URL(fileURLWithPath: file))
        try await TestBus.run { bus in
            let result = try await CLIProcess.run(
                ["simulate", "--directory", file, "--calls", "20", "--rate", "50", "--seed", "7", "--id-prefix", "s-"]
                    + bus.endpointArguments)
            #expect(result.status == 0, "\(result.stderr)")
            let rows = Dictionary(
                result.lines.map { line -> (String, String) in
                    let parts = line.components(separatedBy: "  ").filter { !$0.isEmpty }
                    return (parts[0], parts.dropFirst().joined(separator: " ").trimmingCharacters(in: .whitespaces))
                },
                uniquingKeysWith: { first, _ in first })
            #expect(rows["errors"] == "none")

            // The same plan, made here from the same directory and seed, names the calls the bus now holds.
            let directory = try Directory(jsonData: Data(Self.directoryJSON.utf8))
            let plan = PlanGenerator.plan(
                SimulationSettings(
                    agents: try SimulationAgent.agents(in: directory, limit: nil), rate: 50, limit: .calls(20), seed: 7,
                    idPrefix: "s-", meanCallSeconds: nil))
            #expect(rows["calls started"] == String(plan.callsCreated))
            // Calls the switch reported keep the plan's ids; consult calls made by Initiate* get the bus's.
            let reported = Set(
                plan.actions.compactMap { planned -> String? in
                    guard case .telephony(let event) = planned.action, event.type.isCreating else { return nil }
                    return "\(event.callId) Released"
                })
            let listed = try await bus.listedStates()
            #expect(listed.count == plan.callsCreated)
            #expect(listed.allSatisfy { $0.hasSuffix(" Released") })
            #expect(reported.isSubset(of: Set(listed)))
        }
    }

    @Test func printPlanShowsTheSamePlanForTheSameSeed() async throws {
        let folder = TemporaryDirectory()
        defer { folder.remove() }
        let file = folder.file("directory.json")
        try Data(Self.directoryJSON.utf8).write(to: URL(fileURLWithPath: file))
        let arguments = [
            "simulate", "--directory", file, "--calls", "30", "--seed", "99", "--id-prefix", "p-", "--print-plan",
        ]
        let first = try await CLIProcess.run(arguments)
        let again = try await CLIProcess.run(arguments)
        let other = try await CLIProcess.run(arguments.map { $0 == "99" ? "100" : $0 })
        #expect(first.status == 0)
        #expect(first.lines.count > 60)
        #expect(first.stdout == again.stdout)
        #expect(first.stdout != other.stdout)
        // The first agent logs in before its first call, which the switch then reports.
        let requests = try first.lines.prefix(3).map { try JSONValue(parsing: Data($0.utf8))["request"] }
        #expect(requests.map { $0?["op"]?.stringValue } == ["users.operate", "users.operate", "telephony.event"])
        #expect(requests.map { $0?["operationName"]?.stringValue } == ["StartContactCenterSession", "Ready", nil])
        #expect(requests[2]?["user"]?.stringValue == "switch-1")
    }

    @Test func aSignalStopsTheRunAndTheSwitchReleasesWhatIsLive() async throws {
        let folder = TemporaryDirectory()
        defer { folder.remove() }
        let file = folder.file("directory.json")
        try Data(Self.directoryJSON.utf8).write(to: URL(fileURLWithPath: file))
        try await TestBus.run { bus in
            let simulate = try CLIProcess(
                ["simulate", "--directory", file, "--duration", "600", "--rate", "20", "--call-seconds", "30"]
                    + bus.endpointArguments)
            try await simulate.waitFor("calls: simulating")
            // Wait for live calls (30-second calls have not ended yet) before the signal.
            var states: [String] = []
            let deadline = ContinuousClock.now + .seconds(20)
            while states.count < 3, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(100))
                states = try await bus.listedStates()
            }
            #expect(states.contains { !$0.hasSuffix(" Released") })
            simulate.send(signal: SIGINT)
            let result = try await simulate.waitForExit()
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stderr.contains("calls: interrupted; the switch released the "))
            states = try await bus.listedStates()
            #expect(states.allSatisfy { $0.hasSuffix(" Released") })
        }
    }

    @Test func aDirectoryWithoutAgentsIsAUsageError() async throws {
        let folder = TemporaryDirectory()
        defer { folder.remove() }
        let file = folder.file("directory.json")
        try Data(#"{"principals": [{"id": "switch-1", "role": "Telephony"}]}"#.utf8).write(
            to: URL(fileURLWithPath: file))
        let result = try await CLIProcess.run(["simulate", "--directory", file, "--calls", "1"])
        #expect(result.status == 2)
        #expect(result.stderr == "calls: the directory has no Agent principal with a device to give calls to\n")
    }
}
