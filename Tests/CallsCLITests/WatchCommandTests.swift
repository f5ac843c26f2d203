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

/// `calls watch` against a real bus, run as the built executable.
@Suite(.timeLimit(.minutes(1)))
struct WatchCommandTests {
    /// The `seq=` numbers of a text watch's event lines, in order.
    private func seqs(_ output: String) -> [Int] {
        output.split(separator: "\n").compactMap { line in
            line.split(separator: " ").first { $0.hasPrefix("seq=") }.flatMap { Int($0.dropFirst(4)) }
        }
    }

    /// The summary's calls, `id state`, sorted: the lines after the summary's header.
    private func mirror(_ output: String) -> [String] {
        let lines = output.split(separator: "\n")
        guard let summary = lines.firstIndex(where: { $0.hasPrefix("summary: ") }) else { return [] }
        return lines[(summary + 2)...].map { $0.split(separator: " ").joined(separator: " ") }.sorted()
    }

    @Test func countPrintsTheEventsInOrderThenTheSummary() async throws {
        try await TestBus.run { bus in
            try await bus.report("Ringing", callId: "before", deviceId: "dev-1001")
            let watch = try CLIProcess(["watch", "--count", "6"] + bus.endpointArguments)
            try await watch.waitFor("calls: watching calls/ as admin")
            for number in 0..<3 {
                try await bus.report(
                    "Ringing", callId: "w-\(number)", deviceId: "dev-1002", participants: ["+14155552671"])
                try await bus.report("Established", callId: "w-\(number)", deviceId: "dev-1002")
            }
            let result = try await watch.waitForExit()
            #expect(result.status == 0, "\(result.stderr)")
            #expect(seqs(result.stdout) == Array(2...7))
            let first = try #require(result.lines.first)
            #expect(
                first.contains(" seq=2 call=w-0 StatusChange state=Ringing mute=Off participants=+14155552671 (San"))
            #expect(
                result.lines.contains {
                    $0.hasPrefix("summary: 6 events seen, 0 gaps filled, 0 resyncs, 4 calls in the mirror")
                })
            #expect(mirror(result.stdout) == (try await bus.listedStates()))
        }
    }

    @Test func anAgentWatchSeesOnlyItsCallsAndJSONLinesParse() async throws {
        try await TestBus.run { bus in
            let watch = try CLIProcess(
                ["watch", "--agent", "agent-1001", "--count", "2", "--json"] + bus.endpointArguments)
            try await watch.waitFor("calls: watching calls/agent-1001/ as agent-1001")
            for (callId, device) in [("a", "dev-1002"), ("b", "dev-1001"), ("c", "dev-1002"), ("d", "dev-1001")] {
                try await bus.report("Ringing", callId: callId, deviceId: device)
            }
            let result = try await watch.waitForExit()
            #expect(result.status == 0, "\(result.stderr)")
            let values = try result.lines.map { try JSONValue(parsing: Data($0.utf8)) }
            #expect(values.count == 3)
            #expect(values.prefix(2).map { $0["call"]?["id"]?.stringValue } == ["b", "d"])
            #expect(values.prefix(2).map { $0["ownerSeq"]?.intValue } == [1, 2])
            #expect(values.last?["summary"]?["calls"]?.arrayValue?.count == 2)
        }
    }

    @Test func aSignalEndsTheWatchWithItsSummary() async throws {
        try await TestBus.run { bus in
            let watch = try CLIProcess(["watch"] + bus.endpointArguments)
            try await watch.waitFor("calls: watching")
            try await bus.report("Ringing", callId: "s-1", deviceId: "dev-1001")
            try await watch.waitFor("call=s-1", inStdout: true)
            watch.send(signal: SIGINT)
            let result = try await watch.waitForExit()
            #expect(result.status == 0)
            #expect(result.lines.contains("summary: 1 event seen, 0 gaps filled, 0 resyncs, 1 call in the mirror"))
            #expect(mirror(result.stdout) == ["s-1 Ringing"])
        }
    }

    @Test func aStartOlderThanTheHistoryReloadsTheMirror() async throws {
        try await TestBus.run(configure: { $0.eventHistory = 5 }) { bus in
            for number in 0..<20 { try await bus.report("Ringing", callId: "old-\(number)", deviceId: "dev-1001") }
            let watch = try CLIProcess(["watch", "--after", "1", "--count", "1"] + bus.endpointArguments)
            try await watch.waitFor("resync: the history no longer holds the missed events")
            try await bus.report("Established", callId: "old-3", deviceId: "dev-1001")
            let result = try await watch.waitForExit()
            #expect(result.status == 0, "\(result.stderr)")
            #expect(seqs(result.stdout) == [21])
            #expect(result.lines.contains { $0.hasPrefix("summary: 1 event seen, 0 gaps filled, 1 resync, 20 calls") })
            #expect(mirror(result.stdout) == (try await bus.listedStates()))
        }
    }

    /// The test: a watcher suspended while thousands of events go by loses some at the
    /// bus's tiny publisher queue, and once resumed reports the gap, fills it and ends with exactly
    /// the bus's calls.
    @Test func aSuspendedWatcherReportsTheGapAndEndsWithTheBusState() async throws {
        try await TestBus.run(configure: { $0.publisherHighWaterMark = 10 }) { bus in
            let watch = try CLIProcess(["watch", "--idle-exit", "3"] + bus.endpointArguments)
            try await watch.waitFor("calls: watching")
            try await bus.report("Ringing", callId: "warm-up", deviceId: "dev-1001")
            try await watch.waitFor("call=warm-up", inStdout: true)
            // The client replays what a new subscription may have missed 300 ms after subscribing (its
            // slow-joiner check); suspended before that, it would fill the loss silently on resuming.
            try await Task.sleep(for: .seconds(1))

            watch.send(signal: SIGSTOP)
            let participants: [JSONValue] = ["+14155552671", "+442079460958", "+33142685300"]
            try await bus.withClient { client in
                for number in 0..<1_000 {
                    let device = number % 2 == 0 ? "dev-1001" : "dev-1002"
                    for type in ["Ringing", "Established", number % 3 == 0 ? "Released" : "Held"] {
                        let event: JSONValue = [
                            "type": .string(type), "callId": .string("load-\(number)"), "deviceId": .string(device),
                            "participants": .array(participants),
                        ]
                        _ = try client.request(.telephonyEvent, user: TestDirectory.telephony, ["event": event])
                    }
                }
            }
            watch.send(signal: SIGCONT)
            // Something published after the loss makes the jump in seq visible at once.
            try await bus.report("Ringing", callId: "after", deviceId: "dev-1002")

            let result = try await watch.waitForExit(timeout: .seconds(40))
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stderr.contains("gap: events after seq "))
            #expect(result.stderr.contains("; filled from events.replay"))
            #expect(seqs(result.stdout) == Array(1...3_002))
            let expected = try await bus.listedStates()
            #expect(expected.count == 1_002)
            #expect(mirror(result.stdout) == expected)
        }
    }
}
