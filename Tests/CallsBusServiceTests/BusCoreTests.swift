import Calls
import CallsBusMessages
import CallsBusService
import CallsJSON
import CallsStore
import CallsTesting
import Foundation
import Logging
import Testing

/// The bus core without sockets: a request frame in; its reply, events and batch out.
struct BusCoreTests {
    /// A core on a fresh state file, and the store it reads the history from.
    final class Harness {
        let folder = TemporaryDirectory()
        let store: CallStore
        let core: BusCore

        init(directory: Directory = TestDirectory.standard) throws {
            store = try CallStore(path: folder.file("state.sqlite"))
            core = try BusCore(
                configuration: BusConfiguration(statePath: folder.file("state.sqlite")), directory: directory,
                store: store, logger: Logger(label: "test-core", factory: { _ in SwiftLogNoOpLogHandler() }))
        }

        deinit { folder.remove() }

        /// Serves `fields` as a request of `operation` by `user`; a replay commits what is pending first.
        func serve(
            _ operation: BusOperation, user: String?, _ fields: [String: JSONValue] = [:],
            connection: BusCore.Connection = .open
        ) throws -> JSONValue {
            let frame = BusRequest(operation: operation, user: user, fields: fields).encoded()
            return try JSONValue(parsing: core.serve(BusCore.Request(frame, connection: connection)) { try commit() })
        }

        /// Commits what the core built so far, as the engine does once it seals a batch.
        func commit() throws {
            if let commit = core.takeCommit() { try store.commit(commit.batch) }
        }

        func ring(_ callId: String, on deviceId: String = "dev-1001") throws -> JSONValue {
            try serve(
                .telephonyEvent, user: TestDirectory.telephony,
                Events.telephony(
                    "Ringing", callId: callId, deviceId: deviceId, participants: ["+14155552671"], ani: "+14155552671"))
        }
    }

    @Test func anAcceptedEventGivesASuccessReplyOneEventAndItsBatch() throws {
        let harness = try Harness()
        #expect(try harness.ring("c1") == ["statusCode": 0])

        let commit = try #require(harness.core.takeCommit())
        #expect(commit.events.map(\.topic) == ["calls/agent-1001/c1"])
        #expect(commit.batch.events.map(\.seq) == [1])
        #expect(commit.batch.events.map(\.body) == commit.events.map(\.body))
        #expect(commit.batch.changedCalls["c1"]?.state == .ringing)
        let body = try JSONValue(parsing: commit.events[0].body)
        #expect(body["seq"] == 1)
        #expect(body["notificationType"] == "StatusChange")
        #expect(body["call"]?["participantsInfo"]?[0]?["E164digits"] == "+14155552671")
        #expect(harness.core.takeCommit() == nil)
    }

    @Test func readsShowTheCallAsItsEventDoesBeforeAnyCommit() throws {
        let harness = try Harness()
        try harness.ring("c1")
        let get = try harness.serve(.getCall, user: TestDirectory.agent1001, ["id": "c1"])
        let list = try harness.serve(.listCalls, user: TestDirectory.admin)
        let event = try JSONValue(parsing: try #require(harness.core.takeCommit()).events[0].body)
        #expect(get["call"] == event["call"])
        #expect(list["seq"] == 1)
        #expect(list["calls"]?[0] == event["call"])
    }

    @Test(arguments: [
        (BusOperation.telephonyEvent, TestDirectory.agent1001, 5),
        (BusOperation.telephonyEvent, "nobody", 20),
        (BusOperation.telephonyEvent, nil, 1),
        (BusOperation.operateCall, TestDirectory.agent1002, 6),
    ])
    func refusedRequestsProduceNoEvent(operation: BusOperation, user: String?, statusCode: Int) throws {
        let harness = try Harness()
        try harness.ring("c1")
        try harness.commit()
        let fields: [String: JSONValue] =
            operation == .operateCall
            ? ["id": "c1", "operationName": "Answer"]
            : Events.telephony("Established", callId: "c1", deviceId: "dev-1001")
        #expect(try harness.serve(operation, user: user, fields).statusCode == statusCode)
        #expect(harness.core.takeCommit() == nil)
        #expect(harness.core.seq == 1)
    }

    @Test func malformedFramesAreRefusedWithoutAnEvent() throws {
        let harness = try Harness()
        let replies = [
            harness.core.serve(BusCore.Request(frame: nil, frameCount: 0, connection: .open)) {},
            harness.core.serve(BusCore.Request(frame: Data("{}".utf8), frameCount: 2, connection: .open)) {},
            harness.core.serve(BusCore.Request(Data("not json".utf8))) {},
            harness.core.serve(BusCore.Request(Data(#"{"op":"calls.list"}"#.utf8))) {},
        ]
        #expect(try replies.map { try JSONValue(parsing: $0).statusCode } == [1, 2, 2, 1])
        #expect(harness.core.takeCommit() == nil)
    }

    @Test func aCurveConnectionSpeaksOnlyForItsPrincipalUnlessItActsForUsers() throws {
        let directory = try Directory(principals: [
            Principal(id: "admin", role: .contactCenterAdmin),
            Principal(id: "agent-1001", role: .agent, devices: ["dev-1001"]),
            Principal(id: "gateway", role: .contactCenterAdmin, actsForUsers: true),
        ])
        let harness = try Harness(directory: directory)
        let list = { (connection: BusCore.Connection) in
            try harness.serve(.listCalls, user: "agent-1001", connection: connection).statusCode
        }
        #expect(try list(.curve(principal: "agent-1001")) == 0)
        #expect(try list(.curve(principal: "gateway")) == 0)
        #expect(try list(.curve(principal: "admin")) == 5)
        #expect(try list(.curve(principal: nil)) == 5)
        #expect(try list(.open) == 0)
    }

    @Test func aReplayAsksForDurabilityThenReadsTheHistory() throws {
        let harness = try Harness()
        try harness.ring("c1")
        try harness.ring("c2", on: "dev-1002")
        let replay = try harness.serve(.replayEvents, user: TestDirectory.agent1001, ["after": 0])
        #expect(replay["events"]?.arrayValue?.map { $0["topic"] } == ["calls/agent-1001/c1"])
        #expect(try harness.store.events(after: 0).map(\.seq) == [1, 2])
    }

    @Test func aReplayWhoseDurabilityFailsIsRefusedWith4() throws {
        struct DiskFull: Error {}
        let harness = try Harness()
        try harness.ring("c1")
        let frame = BusRequest(operation: .replayEvents, user: TestDirectory.admin, fields: ["after": 0]).encoded()
        let reply = harness.core.serve(BusCore.Request(frame)) { throw DiskFull() }
        #expect(try JSONValue(parsing: reply).statusCode == 4)
    }

    @Test func restoringDropsWhatWasNotCommitted() throws {
        let harness = try Harness()
        try harness.ring("c1")
        try harness.commit()
        try harness.ring("c2")
        harness.core.restore(from: try harness.store.load())
        #expect(harness.core.takeCommit() == nil)
        #expect(harness.core.seq == 1)
        #expect(try harness.serve(.getCall, user: TestDirectory.admin, ["id": "c2"]).statusCode == 6)
        #expect(try harness.ring("c2") == ["statusCode": 0])
        #expect(harness.core.takeCommit()?.batch.events.map(\.seq) == [2])
    }
}
