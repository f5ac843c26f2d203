import Calls
import CallsBusMessages
import CallsBusService
import CallsJSON
import CallsTesting
import Foundation
import Testing

@Suite(.timeLimit(.minutes(1)))
struct RestartTests {
    @Test func aRestartKeepsEveryCallAndContinuesSeqAndOwnerSeq() async throws {
        let folder = TemporaryDirectory()
        defer { folder.remove() }
        let before = try await TestBus.run(in: folder) { bus in
            try await bus.withClient { client in
                try Events.report(client, "Ringing", callId: "k1", deviceId: "dev-1001", participants: ["+33142685300"])
                try Events.operate(client, "Answer", callId: "k1", user: TestDirectory.agent1001)
                try Events.operate(
                    client, "UpdateUserData", callId: "k1", user: TestDirectory.agent1001, ["userData": ["a": "1"]])
                try Events.report(client, "Dialing", callId: "k2", deviceId: "dev-1002")
                return try client.request(.listCalls, user: TestDirectory.admin)
            }
        }
        try await TestBus.run(in: folder) { bus in
            try await bus.withSubscriber(topics: ["calls/agent-1001/"]) { client, subscriber in
                let after = try client.request(.listCalls, user: TestDirectory.admin)
                #expect(after == before)
                #expect(after["seq"]?.intValue == 4)
                let warmUpSeq = try subscriber.warmUp(using: client)
                try Events.operate(client, "Hold", callId: "k1", user: TestDirectory.agent1001)
                let event = try #require(try subscriber.next(after: warmUpSeq))
                #expect(event.seq == warmUpSeq + 1)
                #expect(event.body["ownerSeq"]?.intValue == 4)
                #expect(event.body["call"]?["userData"] == ["a": "1"])
                let replay = try client.request(.replayEvents, user: TestDirectory.admin, ["after": 0])
                let seqs = replay["events"]?.arrayValue?.compactMap { $0["seq"]?.intValue } ?? []
                #expect(seqs == Array(1...(warmUpSeq + 1)))
            }
        }
    }

    @Test func releasedCallsStayForTheRetentionThenGo() async throws {
        try await TestBus.run(configure: { $0.releasedRetention = 0.3 }) { bus in
            try await bus.withClient { client in
                try Events.report(client, "Ringing", callId: "gone", deviceId: "dev-1001")
                try Events.report(client, "Ringing", callId: "stays", deviceId: "dev-1001")
                try Events.report(client, "Released", callId: "gone", deviceId: "dev-1001")
                #expect(
                    try client.request(.getCall, user: TestDirectory.admin, ["id": "gone"])["call"]?["state"]
                        == "Released")
                let reused = try Events.report(client, "Ringing", callId: "gone", deviceId: "dev-1001")
                #expect(reused.statusCode == 2)
                var visible = true
                for _ in 0..<100 where visible {
                    Thread.sleep(forTimeInterval: 0.05)
                    visible = try client.request(.getCall, user: TestDirectory.admin, ["id": "gone"]).statusCode == 0
                }
                #expect(!visible)
                #expect(try client.request(.getCall, user: TestDirectory.admin, ["id": "stays"]).statusCode == 0)
            }
        }
    }

    @Test func aReleasedCallIsStillRetainedAfterARestart() async throws {
        let folder = TemporaryDirectory()
        defer { folder.remove() }
        try await TestBus.run(in: folder) { bus in
            try await bus.withClient { client in
                try Events.report(client, "Ringing", callId: "r", deviceId: "dev-1001")
                try Events.report(client, "Released", callId: "r", deviceId: "dev-1001")
            }
        }
        try await TestBus.run(in: folder) { bus in
            try await bus.withClient { client in
                let call = try client.request(.getCall, user: TestDirectory.admin, ["id": "r"])["call"]
                #expect(call?["state"] == "Released")
                #expect(call?["capabilities"] == [])
            }
        }
    }

    @Test func anUnusableStateFileOrBusyEndpointStopsTheStartWithAClearError() async throws {
        let folder = TemporaryDirectory()
        defer { folder.remove() }
        await #expect(throws: BusServiceError.self) {
            try await TestBus.run(in: folder, configure: { $0.statePath = folder.file("no/such/folder/state.sqlite") })
            { _ in }
        }
        // TCP, since libzmq takes an ipc path over from whoever had it instead of failing.
        try await TestBus.run(in: folder, configure: { $0.requestEndpoint = "tcp://127.0.0.1:*" }) { running in
            let error = await #expect(throws: BusServiceError.self) {
                try await TestBus.run(configure: { $0.requestEndpoint = running.endpoints.request }) { _ in }
            }
            #expect(error?.code == .cannotBind)
            #expect(error?.message.contains(running.endpoints.request) == true)
        }
    }
}
