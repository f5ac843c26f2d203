import CallsCometD
import CallsJSON
import CallsTesting
import Foundation
import HTTPTypes
import Testing

@Suite(.timeLimit(.minutes(1)))
struct CometDProtocolTests {
    let admin = TestDirectory.admin
    let agent = TestDirectory.agent1001
    let other = TestDirectory.agent1002

    @Test func handshakeSubscribeAndFirstConnectAnswerEveryField() async throws {
        try await CometDHarness.run { harness in
            let handshake = try await harness.send(
                [["channel": "/meta/handshake", "id": "1", "version": "1.0", "ext": ["ack": true]]], as: agent)
            let reply = try #require(handshake.first)
            #expect(reply["channel"] == "/meta/handshake")
            #expect(reply["id"] == "1")
            #expect(reply["successful"] == true)
            #expect(reply["version"] == "1.0")
            #expect(reply["supportedConnectionTypes"] == ["long-polling"])
            #expect(reply["advice"] == ["reconnect": "retry", "interval": 0, "timeout": 30000])
            #expect(reply["ext"] == ["ack": true])
            let clientId = try #require(reply["clientId"]?.stringValue)

            for channel in ["/v2/me/calls", "/v2/me/devices", "/v2/me/*", "/v2/me/**"] {
                let subscribed = try await harness.subscribe(clientId, to: channel, as: agent)
                #expect(subscribed["successful"] == true)
                #expect(subscribed["subscription"] == .string(channel))
                #expect(subscribed["channel"] == "/meta/subscribe")
                #expect(subscribed["id"] == "7")
            }
            let denied = try await harness.subscribe(clientId, to: "/v2/calls", as: agent)
            #expect(denied["successful"] == false)
            #expect(denied["error"] == .string("403:\(clientId),/v2/calls:Subscription denied"))

            let first = try await harness.connect(clientId, as: agent)
            #expect(first.count == 1)
            #expect(first.first?["successful"] == true)
            #expect(first.first?["channel"] == "/meta/connect")
            #expect(first.first?["ext"] == ["ack": 1])

            let unsubscribed = try await harness.send(
                [["channel": "/meta/unsubscribe", "clientId": .string(clientId), "subscription": "/v2/me/*", "id": 9]],
                as: agent)
            #expect(unsubscribed.first?["successful"] == true)
            #expect(unsubscribed.first?["id"] == 9)

            let disconnected = try await harness.send(
                [["channel": "/meta/disconnect", "clientId": .string(clientId), "id": "d"]], as: agent)
            #expect(disconnected.first?["successful"] == true)
            #expect(disconnected.first?["id"] == "d")
            let after = try await harness.connect(clientId, as: agent, timeout: 0)
            #expect(after.first?["error"] == "402::Unknown client")
        }
    }

    @Test func unknownAndForeignClientIdsAre402WithHandshakeAdvice() async throws {
        try await CometDHarness.run { harness in
            let clientId = try await harness.handshake(as: agent)
            let attempts: [(String?, String)] = [("nobody", agent), (clientId, other), (nil, agent)]
            for (id, user) in attempts {
                var message: [String: JSONValue] = ["channel": "/meta/connect", "id": "c"]
                if let id { message["clientId"] = .string(id) }
                let reply = try #require(try await harness.send([.object(message)], as: user).first)
                #expect(reply["successful"] == false)
                #expect(reply["error"] == "402::Unknown client")
                #expect(reply["advice"] == ["reconnect": "handshake", "interval": 0])
                #expect(reply["channel"] == "/meta/connect")
                #expect(reply["id"] == "c")
            }
            let subscribe = try await harness.subscribe(clientId, to: "/v2/me/calls", as: other)
            #expect(subscribe["error"] == "402::Unknown client")
        }
    }

    @Test func callEventsReachTheOwnerAndAdminsOnlyOnceEach() async throws {
        try await CometDHarness.run { harness in
            let mine = try await harness.handshake(as: agent)
            let theirs = try await harness.handshake(as: other)
            let boss = try await harness.handshake(as: admin)
            for channel in ["/v2/me/calls", "/v2/me/*", "/v2/me/**"] {
                _ = try await harness.subscribe(mine, to: channel, as: agent)
            }
            _ = try await harness.subscribe(theirs, to: "/v2/me/calls", as: other)
            _ = try await harness.subscribe(boss, to: "/v2/me/**", as: admin)
            for clientId in [mine, theirs, boss] {
                _ = try await harness.connect(
                    clientId, as: clientId == mine ? agent : clientId == theirs ? other : admin)
            }
            try await harness.ring("c-1001", on: "dev-1001")
            try await harness.ring("c-1002", on: "dev-1002")
            try await harness.ring("c-1001b", on: "dev-1001")

            let agentEvents = try await harness.receive(2, mine, as: agent)
            #expect(agentEvents.map { $0["call"]?["id"] } == ["c-1001", "c-1001b"])
            #expect(agentEvents.allSatisfy { $0["messageType"] == "CallStateChangeMessage" })
            let otherEvents = try await harness.receive(1, theirs, as: other)
            #expect(otherEvents.map { $0["call"]?["id"] } == ["c-1002"])
            let adminEvents = try await harness.receive(3, boss, as: admin)
            #expect(adminEvents.map { $0["seq"] } == [1, 2, 3])
            // Nothing more: every event reached each session once.
            let rest = try await harness.connect(mine, as: agent, timeout: 0)
            #expect(rest.count == 1)
        }
    }

    @Test func deviceEventsReachTheOwnerAndAdmins() async throws {
        try await CometDHarness.run(tune: { $0.connectTimeout = .milliseconds(300) }) { harness in
            let mine = try await harness.handshake(as: agent)
            let theirs = try await harness.handshake(as: other)
            let boss = try await harness.handshake(as: admin)
            _ = try await harness.subscribe(mine, to: "/v2/me/devices", as: agent)
            _ = try await harness.subscribe(theirs, to: "/v2/me/*", as: other)
            _ = try await harness.subscribe(boss, to: "/v2/me/devices", as: admin)
            _ = try await harness.connect(boss, as: admin)
            // Device events have no replay: change the agent's state until the gateway's
            // subscription has joined and one comes through, then put the state back.
            var isStarted = false
            var hasJoined = false
            while !hasJoined {
                try await harness.operateUser(
                    agent, isStarted ? "EndContactCenterSession" : "StartContactCenterSession")
                isStarted.toggle()
                hasJoined = try await harness.connect(boss, as: admin).contains { $0["channel"] == "/v2/me/devices" }
            }
            if isStarted {
                try await harness.operateUser(agent, "EndContactCenterSession")
                _ = try await harness.receive(1, boss, as: admin, channel: "/v2/me/devices")
            }
            _ = try await harness.connect(mine, as: agent, timeout: 0)
            _ = try await harness.connect(mine, as: agent, timeout: 0)
            _ = try await harness.connect(theirs, as: other, timeout: 0)

            try await harness.operateUser(agent, "StartContactCenterSession")
            let event = try #require(try await harness.receive(1, mine, as: agent, channel: "/v2/me/devices").first)
            #expect(event["messageType"] == "DeviceStateChangeMessage")
            #expect(event["devices"]?[0]?["id"] == "dev-1001")
            #expect(event["devices"]?[0]?["userState"]?["state"] == "NotReady")
            let adminEvent = try await harness.receive(1, boss, as: admin, channel: "/v2/me/devices")
            #expect(adminEvent.first?["deviceSeq"] == event["deviceSeq"])
            let nothing = try await harness.connect(theirs, as: other, timeout: 0)
            #expect(nothing.count == 1)
        }
    }

    @Test func badInputIsA400OrABayeuxError() async throws {
        try await CometDHarness.run { harness in
            for body in ["not json", "42", "[]", #""text""#, String(repeating: "[", count: 100)] {
                let (status, reply) = try await harness.post(body, as: agent)
                #expect(status == .badRequest, "\(body.prefix(10))")
                #expect(reply?[0]?["successful"] == false)
            }
            let huge = "[" + String(repeating: #"{"channel":"/meta/handshake"},"#, count: 40_000) + "{}]"
            let (status, _) = try await harness.post(huge, as: agent)
            #expect(status == .badRequest)

            let clientId = try await harness.handshake(as: agent)
            let replies = try await harness.send(
                [
                    ["channel": "/meta/nonsense", "clientId": .string(clientId), "id": "1"],
                    ["clientId": .string(clientId), "id": "2"],
                    ["channel": "/v2/me/calls", "clientId": .string(clientId), "id": "3", "data": [:]],
                    42,
                ], as: agent)
            #expect(replies.count == 4)
            #expect(replies[0]["error"] == "400::Unknown meta channel")
            #expect(replies[1]["error"] == "400::Missing channel")
            #expect(replies[2]["successful"] == false)
            #expect(replies[3]["successful"] == false)
        }
    }

    @Test func unacknowledgedMessagesAreSentAgain() async throws {
        try await CometDHarness.run { harness in
            let clientId = try await harness.handshake(as: agent, ext: ["ack": true])
            _ = try await harness.subscribe(clientId, to: "/v2/me/calls", as: agent)
            let first = try await harness.connect(clientId, as: agent)
            let firstAck = try #require(first.last?["ext"]?["ack"]?.intValue)
            try await harness.ring("c-ack", on: "dev-1001")
            var batch: [JSONValue] = []
            while batch.count < 2 { batch = try await harness.connect(clientId, as: agent, ack: firstAck) }
            let ack = try #require(batch.last?["ext"]?["ack"]?.intValue)
            #expect(ack > firstAck)
            #expect(batch.first?["data"]?["call"]?["id"] == "c-ack")
            // The client did not acknowledge that batch: it comes again.
            let again = try await harness.connect(clientId, as: agent, ack: firstAck)
            #expect(again.first?["data"]?["call"]?["id"] == "c-ack")
            let nextAck = try #require(again.last?["ext"]?["ack"]?.intValue)
            #expect(nextAck > ack)
            // Acknowledged: gone.
            let done = try await harness.connect(clientId, as: agent, timeout: 0, ack: nextAck)
            #expect(done.count == 1)
        }
    }

    @Test func replayGivesTheEventsAfterASeqOrAResync() async throws {
        try await CometDHarness.run { harness in
            try await harness.ring("c-r1", on: "dev-1001")
            try await harness.ring("c-r2", on: "dev-1002")
            try await harness.ring("c-r3", on: "dev-1001")
            let clientId = try await harness.handshake(as: agent)
            let subscribed = try await harness.subscribe(clientId, to: "/v2/me/calls", as: agent, ext: ["replay": 1])
            #expect(subscribed["successful"] == true)
            let replayed = try await harness.receive(1, clientId, as: agent)
            #expect(replayed.map { $0["seq"] } == [3])

            let beyond = try await harness.handshake(as: agent)
            _ = try await harness.subscribe(beyond, to: "/v2/me/calls", as: agent, ext: ["replay": 99])
            let resync = try await harness.receive(1, beyond, as: agent)
            #expect(resync.first?["messageType"] == "Resync")
            #expect(resync.first?["seq"] == 3)
            #expect(resync.first?["calls"]?.arrayValue?.count == 2)
        }
    }

    @Test func aSessionExpiresWithoutConnects() async throws {
        try await CometDHarness.run(tune: { $0.sessionTimeout = .milliseconds(200) }) { harness in
            let clientId = try await harness.handshake(as: agent)
            _ = try await harness.connect(clientId, as: agent)
            try await Task.sleep(for: .milliseconds(400))
            let reply = try await harness.connect(clientId, as: agent, timeout: 0)
            #expect(reply.first?["error"] == "402::Unknown client")
        }
    }

    @Test func anOverflowingQueueEndsTheSession() async throws {
        try await CometDHarness.run(tune: { $0.maxQueuedMessages = 2 }) { harness in
            let clientId = try await harness.handshake(as: agent)
            _ = try await harness.subscribe(clientId, to: "/v2/me/calls", as: agent)
            _ = try await harness.connect(clientId, as: agent)
            let watcher = try await harness.handshake(as: agent)
            _ = try await harness.subscribe(watcher, to: "/v2/me/calls", as: agent)
            _ = try await harness.connect(watcher, as: agent)
            // The watcher drains after each call; the first session holds on to them and overflows.
            for index in 0..<3 {
                try await harness.ring("c-o\(index)", on: "dev-1001")
                _ = try await harness.receive(1, watcher, as: agent)
            }
            let reply = try await harness.connect(clientId, as: agent, timeout: 0)
            #expect(reply.first?["error"] == "402::Unknown client")
        }
    }

    @Test func sessionCapsRefuseTheHandshake() async throws {
        try await CometDHarness.run(tune: { $0.maxSessionsPerUser = 1 }) { harness in
            _ = try await harness.handshake(as: agent)
            let refused = try await harness.send([["channel": "/meta/handshake"]], as: agent)
            #expect(refused.first?["successful"] == false)
            #expect(refused.first?["error"]?.stringValue?.hasPrefix("429::") == true)
        }
    }
}
