import Calls
import CallsBusMessages
import CallsBusService
import CallsJSON
import CallsTesting
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// `GET /api/v2/me/calls/events` over real TCP (`.live`, port 0), read frame by frame.
@Suite(.timeLimit(.minutes(1)))
struct EventStreamTests {
    typealias H = GatewayHarness
    typealias Frame = EventStreamClient.Frame
    /// A device nobody owns: only the admin sees its calls.
    static let unownedDevice = "dev-9999"

    @Test func eventsArriveInOrderAsFramesOfSeqTypeAndBody() async throws {
        try await H.run(.live) { client, bus in
            let stream = try await EventStreamClient.open(port: try #require(client.port), user: "admin")
            #expect(stream.status == 200)
            #expect(stream.headers["content-type"] == "text/event-stream")
            #expect(stream.headers["cache-control"] == "no-cache")
            #expect(try await stream.next()?.comment == "connected")
            var frames = [try await stream.warmUp(bus: bus, device: Self.unownedDevice)]
            let script = [
                ("Ringing", "c1", "dev-1001"), ("Established", "c1", "dev-1001"), ("PartiesChanged", "c1", "dev-1001"),
                ("Ringing", "c2", "dev-1002"), ("Held", "c1", "dev-1001"), ("Released", "c2", "dev-1002"),
            ]
            try await bus.report(script)
            let calls = try await stream.events(until: "c2", count: 2, collectingInto: &frames)
            let ids = frames.compactMap { $0.id.flatMap(Int.init) }
            #expect(ids.count == frames.count)
            #expect(ids == Array(ids[0]..<ids[0] + ids.count), "seq rises by exactly 1 per frame")
            #expect(calls.map(\.callId) == script.map(\.1))
            #expect(
                calls.map(\.event) == [
                    "StatusChange", "StatusChange", "ParticipantsUpdated", "StatusChange", "StatusChange",
                    "StatusChange",
                ])
            #expect(
                calls.map { $0.json?["call"]?["state"]?.stringValue } == [
                    "Ringing", "Established", "Established", "Ringing", "Held", "Released",
                ])
            for frame in calls {
                #expect(frame.json?["seq"]?.intValue == frame.id.flatMap(Int.init))
                #expect(frame.json?["notificationType"]?.stringValue == frame.event)
                #expect(frame.json?["messageType"] == "CallStateChangeMessage")
                #expect(frame.json?["ownerSeq"]?.intValue != nil)
            }
        }
    }

    @Test func lastEventIDResumesWithExactlyTheMissedEvents() async throws {
        try await H.run(.live) { client, bus in
            let port = try #require(client.port)
            try await bus.report([("Ringing", "r1", "dev-1001"), ("Established", "r1", "dev-1001")])
            let seen = try await bus.latestSeq()
            try await bus.report([
                ("Held", "r1", "dev-1001"), ("Ringing", "r2", "dev-1002"), ("Retrieved", "r1", "dev-1001"),
            ])

            let stream = try await EventStreamClient.open(port: port, user: "admin", lastEventID: String(seen))
            var missed: [Frame] = []
            for _ in 0..<3 { missed.append(try #require(try await stream.nextEvent())) }
            #expect(missed.map(\.id) == [seen + 1, seen + 2, seen + 3].map { String($0) })
            #expect(missed.map(\.callId) == ["r1", "r2", "r1"])
            #expect(missed.map { $0.json?["call"]?["state"]?.stringValue } == ["Held", "Ringing", "Established"])
            // Live events follow the replayed ones with nothing repeated or skipped.
            let live = try await stream.warmUp(bus: bus, device: Self.unownedDevice)
            #expect(live.id == String(seen + 4))

            let agent = try await EventStreamClient.open(port: port, user: "agent-1001", lastEventID: String(seen))
            let agentMissed = [try await agent.nextEvent(), try await agent.nextEvent()]
            #expect(agentMissed.map { $0?.id } == [String(seen + 1), String(seen + 3)])
            #expect(agentMissed.map { $0?.callId } == ["r1", "r1"])
        }
    }

    @Test func aLastEventIDOlderThanTheHistoryStartsWithResync() async throws {
        try await H.run(.live, configure: { $0.eventHistory = 2 }) { client, bus in
            try await bus.report([
                ("Ringing", "s1", "dev-1001"), ("Established", "s1", "dev-1001"), ("Ringing", "s2", "dev-1002"),
                ("Held", "s1", "dev-1001"), ("Ringing", "s3", "dev-1002"),
            ])
            let latest = try await bus.latestSeq()
            let stream = try await EventStreamClient.open(
                port: try #require(client.port), user: "admin", lastEventID: "1")
            let resync = try #require(try await stream.nextEvent())
            #expect(resync.event == "Resync")
            #expect(resync.json?.statusCode == 0)
            #expect(resync.json?["seq"]?.intValue == latest)
            #expect(resync.id == String(latest))
            let states = (resync.json?["calls"]?.arrayValue ?? []).map {
                ($0["id"]?.stringValue, $0["state"]?.stringValue)
            }
            #expect(states.contains { $0 == ("s1", "Held") })
            #expect(states.contains { $0 == ("s3", "Ringing") })
            let live = try await stream.warmUp(bus: bus, device: Self.unownedDevice)
            #expect(live.id == String(latest + 1))
            #expect(live.event == "StatusChange")
        }
    }

    /// After a backup is restored the bus's `seq` is behind what clients saw: a stream resuming
    /// beyond it would wait in silence for events numbered past it (contract section 11).
    @Test func aLastEventIDBeyondTheLatestSeqStartsWithResync() async throws {
        try await H.run(.live) { client, bus in
            try await bus.report([("Ringing", "b1", "dev-1001"), ("Established", "b1", "dev-1001")])
            let latest = try await bus.latestSeq()
            let stream = try await EventStreamClient.open(
                port: try #require(client.port), user: "agent-1001", lastEventID: String(latest + 1000))
            let resync = try #require(try await stream.nextEvent())
            #expect(resync.event == "Resync")
            #expect(resync.id == String(latest))
            #expect(resync.json?["calls"]?.arrayValue?.map { $0["id"]?.stringValue } == ["b1"])
            try await bus.report([("Held", "b1", "dev-1001")])
            let live = try #require(try await stream.nextEvent())
            #expect(live.id == String(latest + 1))
            #expect(live.json?["call"]?["state"] == "Held")
        }
    }

    @Test func anAgentsStreamCarriesOnlyTheAgentsCalls() async throws {
        try await H.run(.live) { client, bus in
            let port = try #require(client.port)
            let mine = try await EventStreamClient.open(port: port, user: "agent-1001")
            let theirs = try await EventStreamClient.open(port: port, user: "agent-1002")
            var mineFrames = [try await mine.warmUp(bus: bus, device: "dev-1001")]
            var theirFrames = [try await theirs.warmUp(bus: bus, device: "dev-1002")]
            try await bus.report([
                ("Ringing", "v-other", "dev-1002"), ("Ringing", "v-unowned", Self.unownedDevice),
                ("Ringing", "v-mine", "dev-1001"), ("Established", "v-other", "dev-1002"),
                ("Established", "v-unowned", Self.unownedDevice), ("Established", "v-mine", "dev-1001"),
                ("Ringing", "v-last", "dev-1001"), ("Ringing", "v-last-other", "dev-1002"),
            ])
            let mineCalls = try await mine.events(until: "v-last", collectingInto: &mineFrames)
            let theirCalls = try await theirs.events(until: "v-last-other", collectingInto: &theirFrames)
            #expect(mineCalls.map(\.callId) == ["v-mine", "v-mine", "v-last"])
            #expect(theirCalls.map(\.callId) == ["v-other", "v-other", "v-last-other"])
            #expect(mineFrames.allSatisfy { $0.isOnDevice("dev-1001") })
            #expect(theirFrames.allSatisfy { $0.isOnDevice("dev-1002") })
            let ownerSeqs = mineFrames.compactMap { $0.json?["ownerSeq"]?.intValue }
            #expect(ownerSeqs == Array(ownerSeqs[0]..<ownerSeqs[0] + mineFrames.count))

            // A replay from the very start holds the agent's calls and nothing else.
            let replay = try await EventStreamClient.open(port: port, user: "agent-1001", lastEventID: "0")
            var replayed: [Frame] = []
            let replayedCalls = try await replay.events(until: "v-last", collectingInto: &replayed)
            #expect(replayedCalls.map(\.callId) == ["v-mine", "v-mine", "v-last"])
            #expect(replayed.allSatisfy { $0.isOnDevice("dev-1001") })
        }
    }

    @Test func gracefulShutdownEndsAnOpenStream() async throws {
        try await TestBus.run { bus in
            let stream = try await H.gateway(endpoints: bus.endpoints).test(.live) { client in
                let stream = try await EventStreamClient.open(port: try #require(client.port), user: "admin")
                _ = try await stream.warmUp(bus: bus, device: Self.unownedDevice)
                return stream
            }
            // `test` returns once the application has shut down, with the stream still open.
            #expect(try await stream.waitForEnd(timeout: .seconds(5)), "the body ends with its last chunk")
        }
    }

    @Test func aVanishedClientIsNoticedByTheKeepAlive() async throws {
        try await H.run(.live, keepAlive: .milliseconds(200)) { client, _ in
            let stream = try await EventStreamClient.open(port: try #require(client.port), user: "admin")
            #expect(try await stream.next()?.comment == "connected")
            #expect(try await openStreams(client) == 1)
            stream.abort()
            // No event flows: only the keep-alive comment can find the connection gone.
            var open: Int? = 1
            for _ in 0..<200 where open != 0 {
                try await Task.sleep(for: .milliseconds(100))
                open = try await openStreams(client)
            }
            #expect(open == 0)
        }
    }

    @Test func anIdleStreamGetsKeepAliveCommentsAtTheConfiguredInterval() async throws {
        try await H.run(.live, keepAlive: .milliseconds(200)) { client, _ in
            let stream = try await EventStreamClient.open(port: try #require(client.port), user: "agent-1001")
            #expect(try await stream.next()?.comment == "connected")
            for _ in 0..<3 {
                let frame = try await stream.next(timeout: .seconds(10))
                #expect(frame?.comment == "keep-alive")
                #expect(frame?.isComment == true)
            }
        }
    }

    /// The `calls_gateway_event_stream_clients` gauge of `/metrics`.
    private func openStreams(_ client: any TestClientProtocol) async throws -> Int? {
        try await client.execute(uri: "/metrics", method: .get) { response in
            String(buffer: response.body).split(separator: "\n")
                .first { $0.hasPrefix("calls_gateway_event_stream_clients ") }
                .flatMap { $0.split(separator: " ").last }
                .flatMap { Double($0) }
                .map { Int($0) }
        }
    }
}

extension EventStreamClient {
    /// Reports new calls on `device` until one shows in the stream, so the stream's subscription
    /// is known to be in place (PUB/SUB's slow joiner); returns the first event frame.
    func warmUp(bus: TestBus, device: String) async throws -> Frame {
        let prefix = "warm-\(UUID().uuidString.prefix(8))-"
        for attempt in 0..<100 {
            try await bus.report([("Ringing", "\(prefix)\(attempt)", device)])
            if let frame = try await nextEventIfAny(within: .milliseconds(attempt < 5 ? 100 : 300)) { return frame }
        }
        throw BusTestError("no event reached the stream after 100 warm-up calls")
    }

    /// Reads event frames until the `count`-th one of call `callId`, appending every frame to
    /// `frames`; returns those of calls other than warm-up ones.
    func events(until callId: String, count: Int = 1, collectingInto frames: inout [Frame]) async throws -> [Frame] {
        var calls: [Frame] = []
        var seen = 0
        while seen < count {
            guard let frame = try await nextEvent() else { throw BusTestError("the stream ended before \(callId)") }
            frames.append(frame)
            if frame.callId?.hasPrefix("warm-") != true { calls.append(frame) }
            if frame.callId == callId { seen += 1 }
        }
        return calls
    }
}

extension EventStreamClient.Frame {
    /// Whether the event's call is on `device`.
    func isOnDevice(_ device: String) -> Bool {
        json?["call"]?["deviceUri"]?.stringValue?.hasSuffix("/\(device)") == true
    }
}

extension TestBus {
    /// The `seq` of the last event, from an admin's `calls.list`.
    func latestSeq() async throws -> Int {
        try await withClient { client in
            guard let seq = try client.request(.listCalls, user: TestDirectory.admin)["seq"]?.intValue else {
                throw BusTestError("calls.list has no seq")
            }
            return seq
        }
    }
}
