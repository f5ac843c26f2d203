import Calls
import CallsBusClient
import CallsBusMessages
import CallsBusService
import CallsJSON
import CallsTesting
import Foundation
import Synchronization
import Testing

@Suite(.timeLimit(.minutes(1)))
struct BusEventStreamTests {
    private func report(_ client: CallsBusClient, _ type: String, callId: String, deviceId: String) async throws {
        let event: JSONValue = ["type": .string(type), "callId": .string(callId), "deviceId": .string(deviceId)]
        let reply = try await client.send(
            BusRequest(operation: .telephonyEvent, user: TestDirectory.telephony, fields: ["event": event]))
        #expect(reply.statusCode == 0)
    }

    @Test func aSlowConsumerStillGetsEveryEventInOrder() async throws {
        try await TestBus.run { bus in
            var configuration = bus.clientConfiguration
            // A two-event buffer: a slow consumer loses events locally and must fill the gaps by replay.
            configuration.subscriptionBuffer = 2
            let producerDone = ProducerFlag()
            try await withBusClient(configuration) { client in
                async let collected: (seqs: [UInt64], gaps: Int) = {
                    var seqs: [UInt64] = []
                    var gaps = 0
                    for try await item in try await client.events(
                        for: TestDirectory.admin, prefix: EventTopic.allCalls, after: 0)
                    {
                        if case .gap(let afterSeq, let beforeSeq) = item {
                            #expect(afterSeq == seqs.last ?? 0)
                            #expect(beforeSeq > afterSeq + 1)
                            gaps += 1
                        }
                        guard case .event(let event) = item else { continue }
                        seqs.append(event.seq)
                        // Hold the first event until every event is published: the two-event
                        // buffer has then certainly overflowed, however fast the machine is.
                        while seqs.count == 1, !producerDone.isSet { try await Task.sleep(for: .milliseconds(10)) }
                        if seqs.count == 120 { break }
                    }
                    return (seqs, gaps)
                }()
                for number in 0..<60 {
                    try await report(client, "Ringing", callId: "slow-\(number)", deviceId: "dev-1001")
                    try await report(client, "Established", callId: "slow-\(number)", deviceId: "dev-1001")
                }
                producerDone.set()
                let (seqs, gaps) = try await collected
                #expect(seqs == Array(1...120))
                // A two-event buffer behind a consumer that sleeps must have lost some, and said so.
                #expect(gaps > 0)
            }
        }
    }

    @Test func aStartOlderThanTheHistoryBeginsWithAResync() async throws {
        try await TestBus.run(configure: { $0.eventHistory = 5 }) { bus in
            try await withBusClient(bus.clientConfiguration) { client in
                for number in 0..<20 {
                    try await report(client, "Ringing", callId: "old-\(number)", deviceId: "dev-1002")
                }
                var iterator = try await client.events(for: TestDirectory.admin, prefix: EventTopic.allCalls, after: 2)
                    .makeAsyncIterator()
                guard case .resync(let snapshot)? = try await iterator.next() else {
                    Issue.record("the first item must be a resync")
                    return
                }
                #expect(snapshot.seq == 20)
                #expect(try snapshot.elements(of: "calls").count == 20)
                try await report(client, "Established", callId: "old-0", deviceId: "dev-1002")
                guard case .event(let next)? = try await iterator.next() else {
                    Issue.record("an event must follow the resync")
                    return
                }
                #expect(next.seq == 21)
            }
        }
    }

    /// Resuming from far back reads the history page by page (contract section 11) and hands out
    /// every event once, in order, with no gap item between pages, then goes on live.
    @Test func aResumeFromFarBackFollowsEveryPageThenGoesLive() async throws {
        try await TestBus.run(configure: { $0.maxReplayEvents = 4 }) { bus in
            try await withBusClient(bus.clientConfiguration) { client in
                for number in 0..<11 {
                    try await report(client, "Ringing", callId: "page-\(number)", deviceId: "dev-1002")
                }
                var iterator = try await client.events(for: TestDirectory.admin, prefix: EventTopic.allCalls, after: 0)
                    .makeAsyncIterator()
                var seqs: [UInt64] = []
                while seqs.count < 11, let item = try await iterator.next() {
                    guard case .event(let event) = item else {
                        Issue.record("only events expected, got \(item)")
                        continue
                    }
                    seqs.append(event.seq)
                }
                #expect(seqs == Array(1...11))
                try await report(client, "Established", callId: "page-0", deviceId: "dev-1002")
                guard case .event(let live)? = try await iterator.next() else {
                    Issue.record("the live event must follow the history")
                    return
                }
                #expect(live.seq == 12)
            }
        }
    }

    /// A replayed event is cut from the replay page's bytes: byte for byte the body that was published.
    @Test func aReplayedEventIsTheLiveBodyByteForByte() async throws {
        try await TestBus.run { bus in
            try await withBusClient(bus.clientConfiguration) { client in
                var live = try await client.events(for: TestDirectory.admin, prefix: EventTopic.allCalls)
                    .makeAsyncIterator()
                try await report(client, "Ringing", callId: "same-1", deviceId: "dev-1001")
                var liveEvent: BusEvent?
                while liveEvent == nil, let item = try await live.next() {
                    if case .event(let event) = item { liveEvent = event }
                }
                var replayed = try await client.events(for: TestDirectory.admin, prefix: EventTopic.allCalls, after: 0)
                    .makeAsyncIterator()
                guard case .event(let replayedEvent)? = try await replayed.next() else {
                    Issue.record("the replay must start with the event")
                    return
                }
                let published = try #require(liveEvent)
                #expect(replayedEvent.body == published.body)
                #expect(replayedEvent.topic == published.topic)
                #expect(replayedEvent.topic == "calls/agent-1001/same-1")
                #expect(replayedEvent.notificationType == "StatusChange")
                #expect((replayedEvent.seq, replayedEvent.ownerSeq) == (1, 1))
            }
        }
    }

    @Test func anAgentStreamCarriesOnlyThatAgentsCallsWithContiguousOwnerSeq() async throws {
        try await TestBus.run { bus in
            try await withBusClient(bus.clientConfiguration) { client in
                for number in 0..<12 {
                    let device = ["dev-1001", "dev-1002", "dev-other"][number % 3]
                    try await report(client, "Ringing", callId: "a\(number)", deviceId: device)
                }
                var events: [BusEvent] = []
                for try await item in try await client.events(
                    for: TestDirectory.agent1001,
                    prefix: EventTopic.prefix(ownerId: TestDirectory.agent1001),
                    after: 0
                ) {
                    guard case .event(let event) = item else { continue }
                    events.append(event)
                    if events.count == 4 { break }
                }
                #expect(
                    events.map(\.topic) == [
                        "calls/agent-1001/a0", "calls/agent-1001/a3", "calls/agent-1001/a6", "calls/agent-1001/a9",
                    ])
                #expect(events.map(\.ownerSeq) == [1, 2, 3, 4])
                #expect(events.allSatisfy { $0.notificationType == "StatusChange" })
                let body = try JSONDecoder().decode(EventMessage.self, from: events[0].body)
                #expect(body.call.id == "a0")
                #expect(body.topic == nil)
            }
        }
    }
}

/// A one-way flag between the producing and the consuming task of a test.
final class ProducerFlag: Sendable {
    private let value = Atomic<Bool>(false)
    var isSet: Bool { value.load(ordering: .acquiring) }
    func set() { value.store(true, ordering: .releasing) }
}
