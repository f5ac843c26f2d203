import Calls
import CallsBusMessages
import CallsBusService
import CallsJSON
import CallsTesting
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The device events of `calls watch` against a real bus, run as the built executable.
@Suite(.timeLimit(.minutes(1)))
struct DeviceWatchTests {
    /// The text lines of device events.
    private func deviceLines(_ output: String) -> [String] {
        output.split(separator: "\n").map(String.init).filter { $0.contains(" deviceSeq=") }
    }

    private func userOperate(_ bus: TestBus, _ user: String, _ operation: String, reason: String? = nil)
        async throws
    {
        var fields: [String: JSONValue] = ["operationName": .string(operation)]
        if let reason { fields["reason"] = .string(reason) }
        let request = fields
        let status = try await bus.withClient { client in
            try client.request(.operateUser, user: user, request).statusCode
        }
        #expect(status == 0)
    }

    @Test func deviceEventsArePrintedBesideCallEventsAndSummed() async throws {
        try await TestBus.run { bus in
            let watch = try CLIProcess(["watch", "--idle-exit", "2"] + bus.endpointArguments)
            try await watch.waitFor("; devices/ from deviceSeq 0 (2 devices)")
            try await userOperate(bus, TestDirectory.agent1001, "StartContactCenterSession")
            try await userOperate(bus, TestDirectory.agent1001, "NotReady", reason: "Break")
            try await bus.report("Ringing", callId: "w-1", deviceId: "dev-1001")
            let result = try await watch.waitForExit()
            #expect(result.status == 0, "\(result.stderr)")
            let lines = deviceLines(result.stdout).map { $0.split(separator: " ").dropFirst().joined(separator: " ") }
            #expect(
                lines == [
                    "deviceSeq=1 device=dev-1001 userState=NotReady dnd=Off",
                    "deviceSeq=2 device=dev-1001 userState=NotReady reason=Break dnd=Off",
                ])
            #expect(result.lines.contains { $0.contains(" seq=1 call=w-1 ") })
            #expect(result.lines.contains("devices: 2 device events seen, 0 re-reads, 2 devices in the mirror"))
            #expect(
                result.lines.contains { $0.split(separator: " ") == ["dev-1001", "-", "NotReady", "(Break)", "Off"] })
            #expect(!result.stderr.contains("device gap"))
        }
    }

    @Test func anAgentWatchSeesOnlyItsDevicesAndNoDevicesTurnsThemOff() async throws {
        try await TestBus.run { bus in
            let agent = try CLIProcess(
                ["watch", "--agent", "agent-1002", "--json", "--idle-exit", "2"] + bus.endpointArguments)
            let quiet = try CLIProcess(["watch", "--no-devices", "--idle-exit", "2"] + bus.endpointArguments)
            try await agent.waitFor("; devices/agent-1002/ from deviceSeq 0 (1 devices)")
            try await quiet.waitFor("calls: watching calls/ as admin")
            #expect(!quiet.stderr.contains("devices/"))
            for operation in ["StartContactCenterSession", "Ready"] {
                try await userOperate(bus, TestDirectory.agent1001, operation)
                try await userOperate(bus, TestDirectory.agent1002, operation)
            }
            let result = try await agent.waitForExit()
            #expect(result.status == 0, "\(result.stderr)")
            let values = try result.lines.map { try JSONValue(parsing: Data($0.utf8)) }
            #expect(values.dropLast().map { $0["deviceSeq"]?.intValue } == [2, 4])
            #expect(values.dropLast().allSatisfy { $0["devices"]?[0]?["id"]?.stringValue == "dev-1002" })
            #expect(values.last?["summary"]?["deviceEvents"] == .number(2))
            // The other agent's events make deviceSeq jump; the list read again shows nothing was missed.
            #expect(!result.stderr.contains("device gap"), "\(result.stderr)")
            let other = try await quiet.waitForExit()
            #expect(other.status == 0)
            #expect(deviceLines(other.stdout).isEmpty)
            #expect(!other.stdout.contains("devices:"))
        }
    }

    /// A watcher suspended while hundreds of device events go by loses some at the bus's tiny
    /// publisher queue; device events have no replay, so it reads devices.list again, says so,
    /// and ends with the bus's devices.
    @Test func aJumpInDeviceSeqRereadsTheDevices() async throws {
        try await TestBus.run(configure: { $0.publisherHighWaterMark = 10 }) { bus in
            let watch = try CLIProcess(["watch", "--idle-exit", "3"] + bus.endpointArguments)
            try await watch.waitFor("calls: watching")
            try await userOperate(bus, TestDirectory.agent1001, "StartContactCenterSession")
            try await watch.waitFor("deviceSeq=1 ", inStdout: true)
            // Past the subscription's join check, whose re-read would otherwise be a second one.
            try await Task.sleep(for: .seconds(1))
            watch.send(signal: SIGSTOP)
            try await bus.withClient { client in
                for number in 0..<2_000 {
                    let fields: [String: JSONValue] = [
                        "id": "dev-1002",
                        "operationName": .string(number % 2 == 0 ? "DoNotDisturbOn" : "DoNotDisturbOff"),
                    ]
                    _ = try client.request(.operateDevice, user: TestDirectory.admin, fields)
                }
            }
            watch.send(signal: SIGCONT)
            // Published while the watcher's queue is still full, this one may be lost too: then the
            // watch's last look at devices.list, when it goes idle, finds the loss.
            try await userOperate(bus, TestDirectory.agent1001, "Ready")
            let result = try await watch.waitForExit(timeout: .seconds(40))
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stderr.contains("device gap: device events after deviceSeq "), "\(result.stderr)")
            #expect(result.stderr.contains("; re-read devices.list (deviceSeq "))
            #expect(result.lines.contains { $0.hasPrefix("devices: ") && $0.contains(" re-read") })
            #expect(result.lines.contains { $0.split(separator: " ") == ["dev-1001", "-", "Ready", "Off"] })
            #expect(result.lines.contains { $0.split(separator: " ") == ["dev-1002", "-", "LoggedOut", "Off"] })
        }
    }
}
