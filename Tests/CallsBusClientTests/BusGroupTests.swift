import Calls
import CallsBusClient
import CallsBusMessages
import CallsBusService
import CallsJSON
import CallsTesting
import Foundation
import Testing
import ZMQ

/// A client given every bus of a group (contract section 10): it is served by whichever bus is up,
/// and its event streams survive a takeover without losing or repeating an event.
@Suite(.timeLimit(.minutes(1)))
struct BusGroupTests {
    private func report(_ client: CallsBusClient, _ type: String, callId: String) async throws -> Bool {
        let event: JSONValue = ["type": .string(type), "callId": .string(callId), "deviceId": .string("dev-1001")]
        let request = BusRequest(operation: .telephonyEvent, user: TestDirectory.telephony, fields: ["event": event])
        guard let reply = try? await client.send(request) else { return false }
        return reply.statusCode == 0
    }

    /// A client of `folder`'s two buses, `a` and `b`, whose endpoints are named after them. Requests wait
    /// for a connection to a bus that is up (never for the absent one), so a long timeout costs nothing
    /// and spares a machine loaded by the whole parallel test run.
    private func groupConfiguration(_ folder: TemporaryDirectory) -> BusClientConfiguration {
        BusClientConfiguration(
            requestEndpoint: "\(folder.ipcEndpoint("requests-a")), \(folder.ipcEndpoint("requests-b"))",
            eventsEndpoint: "\(folder.ipcEndpoint("events-a")),\(folder.ipcEndpoint("events-b"))",
            requestTimeout: .seconds(15)
        )
    }

    private func runBus<Result: Sendable>(
        _ name: String, in folder: TemporaryDirectory, _ body: (TestBus) async throws -> Result
    ) async throws -> Result {
        try await TestBus.run(
            in: folder,
            configure: {
                $0.requestEndpoint = folder.ipcEndpoint("requests-\(name)")
                $0.eventsEndpoint = folder.ipcEndpoint("events-\(name)")
            }, body)
    }

    @Test func requestsGoToTheBusThatIsUpWhileTheOtherEndpointHasNone() async throws {
        let folder = TemporaryDirectory()
        defer { folder.remove() }
        try await runBus("b", in: folder) { _ in
            try await withBusClient(groupConfiguration(folder)) { client in
                // Requests wait for a connection to the bus that is up; none is queued to the absent one.
                for number in 0..<20 {
                    #expect(try await report(client, "Ringing", callId: "g-\(number)"), "request \(number)")
                }
                let reply = try await client.send(BusRequest(operation: .listCalls, user: TestDirectory.admin))
                #expect(try reply.checked().seq == 20)
            }
        }
    }

    /// Bus `a` stops, bus `b` starts on the same state (what a standby does on takeover): the stream
    /// carries on with the next `seq`, every event once, in order.
    @Test func aStreamContinuesAcrossATakeoverWithoutLosingAnEvent() async throws {
        let folder = TemporaryDirectory()
        defer { folder.remove() }
        try await withBusClient(groupConfiguration(folder)) { client in
            let stream: BusEventStream = try await runBus("a", in: folder) { _ in
                let stream = try await client.events(for: TestDirectory.admin, prefix: EventTopic.allCalls, after: 0)
                for number in 0..<3 { #expect(try await report(client, "Ringing", callId: "t-\(number)")) }
                return stream
            }
            try await runBus("b", in: folder) { _ in
                var iterator = stream.makeAsyncIterator()
                let stop = ProducerFlag()
                async let produced: Int = {
                    var count = 0
                    while !stop.isSet, count < 40 {
                        if try await report(client, "Ringing", callId: "after-\(count)") { count += 1 }
                        try await Task.sleep(for: .milliseconds(20))
                    }
                    return count
                }()
                var seqs: [UInt64] = []
                while seqs.last.map({ $0 < 8 }) ?? true, let item = try await iterator.next() {
                    if case .event(let event) = item { seqs.append(event.seq) }
                    if case .resync = item { Issue.record("a takeover must not lose the history") }
                }
                stop.set()
                #expect(try await produced >= 5)
                #expect(seqs == Array(1...UInt64(seqs.count)))
            }
        }
    }

    /// Only the active bus publishes, but a SUB may still hear a late event from a bus that is dying:
    /// a `seq` the stream already delivered is dropped, neither repeated nor taken for a gap.
    @Test func aLateEventFromADyingBusIsDroppedNotTakenForAGap() async throws {
        let folder = TemporaryDirectory()
        defer { folder.remove() }
        let dying = folder.ipcEndpoint("events-a")
        try await runBus("b", in: folder) { bus in
            try await withBusClient(groupConfiguration(folder)) { client in
                var iterator = try await client.events(for: TestDirectory.admin, prefix: EventTopic.allCalls)
                    .makeAsyncIterator()
                #expect(try await report(client, "Ringing", callId: "late-1"))
                guard case .event(let first)? = try await iterator.next() else {
                    Issue.record("the first event must come out")
                    return
                }
                // The dying bus repeats the event already delivered for a second: long past the
                // subscription's reconnect, so the client's SUB hears it many times.
                let (context, topic, body) = (bus.context, first.topic, first.body)
                let sent = try await SocketLoop.run(name: "dying-bus") {
                    let publisher = try Socket(.publisher, context: context)
                    try publisher.bind(dying)
                    let subscriber = try Socket(.subscriber, context: context)
                    try subscriber.set(.subscribe, "")
                    try subscriber.connect(dying)
                    var heard = 0
                    let end = ContinuousClock.now + .seconds(1)
                    while ContinuousClock.now < end {
                        try publisher.send(multipart: [Data(topic.utf8), body])
                        while try subscriber.tryReceiveMultipart() != nil { heard += 1 }
                        Thread.sleep(forTimeInterval: 0.005)
                    }
                    return heard
                }
                #expect(sent > 0, "the stale event must really have been published")
                #expect(try await report(client, "Established", callId: "late-1"))
                guard case .event(let next)? = try await iterator.next() else {
                    Issue.record("the next item must be the next event, not a gap")
                    return
                }
                #expect((first.seq, next.seq) == (1, 2))
            }
        }
    }
}
