import Calls
import CallsBusMessages
import CallsBusService
import CallsJSON
import CallsTesting
import Foundation
import Testing
import ZMQ

@Suite(.timeLimit(.minutes(1)))
struct EventPublishingTests {
    @Test func twoThousandEventsFromFourClientsArriveInOrderWithContiguousSeq() async throws {
        try await TestBus.run { bus in
            let (context, endpoints) = (bus.context, bus.endpoints)
            let ready = try Mailbox<Int>()
            async let received = SocketLoop.run(name: "subscriber") { () -> [BusTestSubscriber.Event] in
                let subscriber = try BusTestSubscriber(context: context, endpoint: endpoints.events, topics: ["calls/"])
                let client = try BusTestClient(context: context, endpoint: endpoints.request)
                ready.post(try subscriber.warmUp(using: client))
                var events: [BusTestSubscriber.Event] = []
                while events.count < 2_000, let event = try subscriber.next(timeout: .seconds(10)) {
                    events.append(event)
                }
                return events
            }
            let startSeq = try await awaitPost(ready)
            let statuses = try await withThrowingTaskGroup(of: [Int].self) { group in
                for sender in 0..<4 {
                    group.addTask {
                        try await bus.withClient { client in
                            // 250 calls per client, each created then answered: 500 events a client.
                            try (0..<250).flatMap { number -> [Int] in
                                let id = "s\(sender)-\(number)"
                                let device = ["dev-1001", "dev-1002", "dev-x"][number % 3]
                                return [
                                    try Events.report(client, "Ringing", callId: id, deviceId: device).statusCode ?? -1,
                                    try Events.report(client, "Established", callId: id, deviceId: device).statusCode
                                        ?? -1,
                                ]
                            }
                        }
                    }
                }
                return try await group.reduce(into: []) { $0 += $1 }
            }
            #expect(statuses.count == 2_000)
            #expect(statuses.allSatisfy { $0 == 0 })
            let events = try await received.filter { $0.seq > startSeq }
            #expect(events.count == 2_000)
            #expect(events.map(\.seq) == Array((startSeq + 1)...(startSeq + 2_000)))
            // Each call's own events come in order: Ringing before Established.
            var states: [String: [String]] = [:]
            for event in events {
                let id = event.body["call"]?["id"]?.stringValue ?? ""
                states[id, default: []].append(event.body["call"]?["state"]?.stringValue ?? "")
            }
            #expect(states.count == 1_000)
            #expect(states.values.allSatisfy { $0 == ["Ringing", "Established"] })
        }
    }

    @Test func anAgentPrefixReceivesOnlyThatAgentsCallsWithContiguousOwnerSeq() async throws {
        try await TestBus.run { bus in
            let events = try await bus.withSubscriber(topics: [EventTopic.prefix(ownerId: TestDirectory.agent1001)]) {
                client,
                subscriber in
                try subscriber.warmUp(using: client)
                for number in 0..<30 {
                    let device = ["dev-1001", "dev-1002", "dev-elsewhere"][number % 3]
                    try Events.report(client, "Ringing", callId: "p\(number)", deviceId: device)
                }
                var events: [BusTestSubscriber.Event] = []
                while events.count < 10, let event = try subscriber.next(timeout: .seconds(10)) {
                    events.append(event)
                }
                #expect(try subscriber.next(timeout: .milliseconds(200)) == nil)
                return events
            }
            #expect(events.count == 10)
            #expect(events.allSatisfy { $0.topic.hasPrefix("calls/agent-1001/") })
            #expect(events.map(\.topic) == stride(from: 0, to: 30, by: 3).map { "calls/agent-1001/p\($0)" })
            let ownerSeqs = events.compactMap { $0.body["ownerSeq"]?.intValue }
            #expect(ownerSeqs == Array(1...10))
            #expect(events.allSatisfy { $0.body["messageType"] == "CallStateChangeMessage" })
        }
    }

    @Test func replayReturnsExactlyWhatCameAfterAsItWasPublished() async throws {
        try await TestBus.run { bus in
            try await bus.withSubscriber(topics: ["calls/"]) { client, subscriber in
                let start = try subscriber.warmUp(using: client)
                try Events.report(
                    client, "Ringing", callId: "r1", deviceId: "dev-1001", participants: ["+442079460958"])
                try Events.operate(client, "Answer", callId: "r1", user: TestDirectory.admin)
                try Events.operate(
                    client, "AttachUserData", callId: "r1", user: TestDirectory.admin, ["userData": ["k": "v"]])
                var published: [BusTestSubscriber.Event] = []
                while published.count < 3, let event = try subscriber.next(after: start) { published.append(event) }

                let replay = try client.request(
                    .replayEvents, user: TestDirectory.admin, ["after": .number(Double(start))])
                let replayed = try #require(replay["events"]?.arrayValue)
                #expect(replayed.count == 3)
                for (event, again) in zip(published, replayed) {
                    var body = again.objectValue ?? [:]
                    #expect(body.removeValue(forKey: "topic") == .string(event.topic))
                    #expect(JSONValue.object(body) == event.body)
                }
                let lastSeq = published.last?.seq ?? 0
                let afterLast = try client.request(
                    .replayEvents, user: TestDirectory.admin, ["after": .number(Double(lastSeq))])
                #expect(afterLast["events"] == [])
                let beyond = try client.request(.replayEvents, user: TestDirectory.admin, ["after": 1_000_000])
                #expect(beyond["events"] == [])
            }
        }
    }

    /// Contract section 11: a reply carries one page, `more` says another follows, and the pages
    /// together are the whole history in order, for an admin and filtered for an agent.
    @Test func replayComesInPagesUntilNoMoreIsSaid() async throws {
        try await TestBus.run(configure: { $0.maxReplayEvents = 3 }) { bus in
            try await bus.withClient { client in
                for number in 0..<8 {
                    let device = number.isMultiple(of: 2) ? "dev-1001" : "dev-1002"
                    try Events.report(client, "Ringing", callId: "p\(number)", deviceId: device)
                }
                func pages(for user: String) throws -> [[Int]] {
                    var pages: [[Int]] = []
                    var after = 0
                    while true {
                        let reply = try client.request(.replayEvents, user: user, ["after": .number(Double(after))])
                        let seqs = reply["events"]?.arrayValue?.compactMap { $0["seq"]?.intValue } ?? []
                        pages.append(seqs)
                        guard reply["more"] == true else {
                            #expect(reply["more"] == nil, "the key is absent on the last page")
                            return pages
                        }
                        after = try #require(seqs.last)
                    }
                }
                #expect(try pages(for: TestDirectory.admin) == [[1, 2, 3], [4, 5, 6], [7, 8]])
                #expect(try pages(for: TestDirectory.agent1001) == [[1, 3, 5], [7]])
            }
        }
    }

    @Test func replayOlderThanTheHistoryAsksForAResync() async throws {
        try await TestBus.run(configure: { $0.eventHistory = 5 }) { bus in
            try await bus.withClient { client in
                for number in 0..<12 {
                    try Events.report(client, "Ringing", callId: "h\(number)", deviceId: "dev-1001")
                }
                let kept = try client.request(.replayEvents, user: TestDirectory.admin, ["after": 7])
                #expect(kept["events"]?.arrayValue?.map { $0["seq"]?.intValue } == [8, 9, 10, 11, 12])
                let tooOld = try client.request(.replayEvents, user: TestDirectory.admin, ["after": 6])
                #expect(tooOld.statusCode == 2)
                #expect(tooOld["statusMessage"]?.stringValue?.contains("calls.list") == true)
            }
        }
    }
}

/// Waits for the first element posted to `mailbox` without blocking the cooperative pool.
func awaitPost<Element: Sendable>(_ mailbox: Mailbox<Element>) async throws -> Element {
    try await SocketLoop.run(name: "await-post") {
        let poller = Poller()
        poller.register(mailbox)
        for _ in 0..<600 {
            if let first = mailbox.drain().first { return first }
            try poller.poll(timeout: .milliseconds(100))
        }
        throw BusTestError("nothing was posted within a minute")
    }
}
