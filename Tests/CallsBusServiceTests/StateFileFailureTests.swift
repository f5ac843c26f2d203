import Calls
import CallsBusMessages
import CallsBusService
import CallsJSON
import CallsTesting
import Foundation
import Testing
import ZMQ

/// What the bus does when its state file cannot be written for a while: another program holds
/// SQLite's write lock (a backup, an operator's `sqlite3`).
@Suite(.timeLimit(.minutes(1)))
struct StateFileFailureTests {
    @Test func aRefusedBatchLeavesMemoryAndEventsExactlyAsStored() async throws {
        let folder = TemporaryDirectory()
        defer { folder.remove() }
        let statePath = folder.file("state.sqlite")
        let seqBefore = try await TestBus.run(in: folder, configure: { $0.stateBusyTimeout = 0.2 }) { bus in
            try await bus.withSubscriber(topics: ["calls/"]) { client, subscriber in
                #expect(try Events.report(client, "Ringing", callId: "k1", deviceId: "dev-1001").statusCode == 0)
                let warmUpSeq = try subscriber.warmUp(using: client)

                let lock = try ForeignWriteLock(path: statePath)
                let refused = try Events.operate(
                    client, "AttachUserData", callId: "k1", user: TestDirectory.agent1001,
                    ["userData": ["refused": "yes"]])
                lock.release()
                #expect(refused.statusCode == 4)

                // Memory went back to the stored state: the refused change is nowhere.
                let call = try client.request(.getCall, user: TestDirectory.admin, ["id": "k1"])["call"]
                #expect(call?["userData"] == nil)
                #expect(try client.request(.listCalls, user: TestDirectory.admin)["seq"]?.intValue == warmUpSeq)

                // The next change commits alone, with the next seq, and is the only event published.
                #expect(
                    try Events.operate(client, "Answer", callId: "k1", user: TestDirectory.agent1001).statusCode == 0)
                let event = try #require(try subscriber.next(after: warmUpSeq))
                #expect(event.seq == warmUpSeq + 1)
                #expect(event.body["call"]?["state"] == "Established")
                #expect(event.body["call"]?["userData"] == nil)
                #expect(try subscriber.next(timeout: .milliseconds(200)) == nil)

                let replay = try client.request(.replayEvents, user: TestDirectory.admin, ["after": 0])
                let events = replay["events"]?.arrayValue ?? []
                #expect(events.count == warmUpSeq + 1)
                #expect(events.allSatisfy { $0["call"]?["userData"] == nil })
                return warmUpSeq + 1
            }
        }
        try await TestBus.run(in: folder) { bus in
            try await bus.withClient { client in
                #expect(try client.request(.listCalls, user: TestDirectory.admin)["seq"]?.intValue == seqBefore)
                let call = try client.request(.getCall, user: TestDirectory.admin, ["id": "k1"])["call"]
                #expect(call?["state"] == "Established")
                #expect(call?["userData"] == nil)
            }
        }
    }

    /// A batch applied while the one before it was still being committed is built on that
    /// batch's changes: when the first commit fails, the second must not be committed either, even
    /// if the disk is writable again by the time its turn comes (pipelined group commit).
    @Test func aBatchQueuedBehindAFailedCommitIsNeverStored() async throws {
        let folder = TemporaryDirectory()
        defer { folder.remove() }
        let statePath = folder.file("state.sqlite")
        let (answers, listed) = try await TestBus.run(in: folder, configure: { $0.stateBusyTimeout = 0.5 }) { bus in
            try await bus.withClient { client in
                #expect(try Events.report(client, "Ringing", callId: "q1", deviceId: "dev-1001").statusCode == 0)
                // Held until the first answer: that commit must time out whatever the machine's load
                // (a timed release could come before a slow first commit gave up). The disk is
                // writable again before the pipeline could reach the second batch.
                let lock = try ForeignWriteLock(path: statePath)
                let dealer = try Socket.dealer(in: bus.context, connectingTo: bus.endpoints.request)
                for (delay, key) in [(0.0, "first"), (0.1, "second")] {
                    Thread.sleep(forTimeInterval: delay)
                    let request =
                        #"{"op":"calls.operate","user":"agent-1001","id":"q1","operationName":"AttachUserData","#
                        + #""userData":{"\#(key)":"x"}}"#
                    try dealer.send(multipart: [[], Array(request.utf8)])
                }
                var answers: [Int] = []
                for _ in 0..<2 {
                    let reply = try #require(try dealer.receiveMultipart(timeout: .seconds(10)))
                    answers.append(try JSONDecoder().decode(JSONValue.self, from: reply[1].data).statusCode ?? -1)
                    if answers.count == 1 { lock.release() }
                }
                return (answers, try client.request(.listCalls, user: TestDirectory.admin))
            }
        }
        #expect(answers.first == 4, "the first change waited past the busy timeout")
        let userData = listed["calls"]?[0]?["userData"]
        #expect(userData?["first"] == nil)
        // The second was refused with the first, or, had it arrived after the failure, stored alone.
        #expect(userData?["second"] == (answers.last == 0 ? "x" : nil))
        try await TestBus.run(in: folder) { bus in
            try await bus.withClient { client in
                let reloaded = try client.request(.listCalls, user: TestDirectory.admin)
                #expect(reloaded == listed, "memory equals the file")
            }
        }
    }

    @Test func aLockHeldShorterThanTheBusyTimeoutOnlyDelaysTheReply() async throws {
        let folder = TemporaryDirectory()
        defer { folder.remove() }
        let statePath = folder.file("state.sqlite")
        try await TestBus.run(in: folder) { bus in
            try await bus.withClient { client in
                #expect(try Events.report(client, "Ringing", callId: "k1", deviceId: "dev-1001").statusCode == 0)
                let lock = try ForeignWriteLock(path: statePath)
                lock.release(after: 1)
                #expect(
                    try Events.operate(client, "Answer", callId: "k1", user: TestDirectory.agent1001).statusCode == 0)
                let call = try client.request(.getCall, user: TestDirectory.admin, ["id": "k1"])["call"]
                #expect(call?["state"] == "Established")
            }
        }
    }

    @Test func aSecondBusOnTheSameStateFileIsRefusedNamingTheFile() async throws {
        let folder = TemporaryDirectory()
        defer { folder.remove() }
        try await TestBus.run(in: folder) { running in
            let error = await #expect(throws: BusServiceError.self) {
                try await TestBus.run(configure: { $0.statePath = running.configuration.statePath }) { _ in }
            }
            #expect(error?.code == .stateUnavailable)
            #expect(error?.description.contains(running.configuration.statePath) == true)
            #expect(error?.description.contains("another calls-bus") == true)
        }
    }
}
