import Calls
import CallsStore
import Foundation
import GRDB
import Testing

/// The guarantees both stores give, each test run against the SQLite file and a PostgreSQL database.
@Suite(.timeLimit(.minutes(1)))
struct CallStoreTests {
    private func event(_ seq: UInt64, owner: String = "agent-1", ownerSeq: UInt64? = nil, call: String = "c")
        -> StoredEvent
    {
        StoredEvent(
            seq: seq,
            ownerId: owner,
            ownerSeq: ownerSeq ?? seq,
            topic: "calls/\(owner)/\(call)",
            body: Data(#"{"seq":\#(seq)}"#.utf8)
        )
    }

    @Test(arguments: StoreKind.allCases) func aNewStoreIsEmpty(kind: StoreKind) throws {
        let state = try StorePlace(kind).open().load()
        #expect(state.calls.isEmpty)
        #expect(state.seq == 0)
        #expect(state.ownerSeqs.isEmpty)
        #expect(state.oldestRetainedSeq == nil)
    }

    @Test(arguments: StoreKind.allCases) func committedBatchesSurviveReopening(kind: StoreKind) throws {
        let place = try StorePlace(kind)
        let call = Call(
            id: "c", deviceId: "dev-1", state: .ringing, callType: .inbound, participants: ["+1"], ani: "+1")
        do {
            let store = try place.open()
            defer { store.close() }
            var batch = StoreBatch()
            batch.append(event(1), call: call)
            var answered = call
            answered.state = .established
            batch.append(event(2), call: answered)
            batch.append(
                event(3, owner: "-", ownerSeq: 1, call: "d"),
                call: Call(id: "d", deviceId: "x", state: .dialing, callType: .outbound))
            try store.commit(batch)
        }
        let state = try place.open().load()
        #expect(state.seq == 3)
        #expect(state.ownerSeqs == ["agent-1": 2, "-": 1])
        #expect(Set(state.calls.map(\.id)) == ["c", "d"])
        #expect(state.calls.first { $0.id == "c" }?.state == .established)
        #expect(state.oldestRetainedSeq == 1)
    }

    @Test(arguments: StoreKind.allCases) func removedCallsAreGoneAndEmptyBatchesWriteNothing(kind: StoreKind) throws {
        let store = try StorePlace(kind).open()
        var batch = StoreBatch()
        batch.append(event(1), call: Call(id: "c", deviceId: "d", state: .released, callType: .inbound))
        try store.commit(batch)
        #expect(StoreBatch().isEmpty)
        try store.commit(StoreBatch())
        var removal = StoreBatch()
        removal.remove(callId: "c")
        try store.commit(removal)
        let state = try store.load()
        #expect(state.calls.isEmpty)
        #expect(state.seq == 1)
    }

    @Test(arguments: StoreKind.allCases) func historyIsTrimmedAndReplayFiltersByOwner(kind: StoreKind) throws {
        let store = try StorePlace(kind).open(eventHistory: 3)
        var batch = StoreBatch()
        for seq in UInt64(1)...6 {
            let owner = seq.isMultiple(of: 2) ? "agent-2" : "agent-1"
            batch.append(
                event(seq, owner: owner), call: Call(id: "c\(seq)", deviceId: "d", state: .ringing, callType: .inbound))
        }
        try store.commit(batch)
        #expect(try store.events(after: 0).map(\.seq) == [4, 5, 6])
        #expect(try store.events(after: 4).map(\.seq) == [5, 6])
        #expect(try store.events(after: 0, owner: "agent-2").map(\.seq) == [4, 6])
        #expect(try store.events(after: 6).isEmpty)
        #expect(try store.load().oldestRetainedSeq == 4)
        #expect(try store.events(after: 0, owner: "agent-2", limit: 1).map(\.seq) == [4])
        #expect(try store.events(after: 0, owner: nil, limit: 2).map(\.seq) == [4, 5])
        let replayed = try #require(try store.events(after: 5).first)
        #expect(replayed.topic == "calls/agent-2/c")
        #expect(replayed.body == Data(#"{"seq":6}"#.utf8))
    }

    @Test(arguments: StoreKind.allCases)
    func historyReadsStayExactBetweenTrimsAndTheTableIsTrimmedInChunks(kind: StoreKind) throws {
        let place = try StorePlace(kind)
        do {
            let store = try place.open(eventHistory: 10)
            defer { store.close() }
            var seq: UInt64 = 0
            for _ in 0..<40 {
                var batch = StoreBatch()
                for _ in 0..<100 {
                    seq += 1
                    let owner = seq.isMultiple(of: 2) ? "agent-2" : "agent-1"
                    batch.append(
                        event(seq, owner: owner),
                        call: Call(id: "c\(seq % 7)", deviceId: "d", state: .ringing, callType: .inbound))
                }
                try store.commit(batch)
                #expect(try store.events(after: 0).map(\.seq) == Array(seq - 9...seq))
                #expect(
                    try store.events(after: 0, owner: "agent-1").map(\.seq) == (seq - 9...seq).filter { $0 % 2 == 1 })
                #expect(try store.events(after: seq - 3).map(\.seq) == Array(seq - 2...seq))
                #expect(try store.load().oldestRetainedSeq == seq - 9)
            }
        }
        // Fewer rows than events written: older ones were trimmed, at most a chunk and a batch ago.
        let rows = try place.storedEventRows()
        #expect(rows >= 10 && rows <= 10 + 2_048 + 100)
        #expect(rows < 4_000)
        guard kind == .sqlite else { return }
        let database = try DatabaseQueue(path: place.location)
        let indexes = try database.read {
            try String.fetchAll($0, sql: "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'events'")
        }
        #expect(indexes == ["events_owner_by_seq"])
    }

    @Test(arguments: StoreKind.allCases) func aFailedCommitKeepsNothingOfItsBatch(kind: StoreKind) throws {
        let store = try StorePlace(kind).open()
        var first = StoreBatch()
        first.append(event(1), call: Call(id: "c", deviceId: "d", state: .ringing, callType: .inbound))
        try store.commit(first)
        // The second batch repeats seq 1 after writing seq 2 and a new call: the whole batch must go.
        var second = StoreBatch()
        second.append(event(2, call: "e"), call: Call(id: "e", deviceId: "d", state: .dialing, callType: .outbound))
        second.append(event(1), call: Call(id: "c", deviceId: "d", state: .established, callType: .inbound))
        second.append(DeviceEvent(deviceSeq: 1, ownerId: "a", device: Device(id: "d", ownerId: "a", doNotDisturb: .on)))
        let error = #expect(throws: CallStoreError.self) { try store.commit(second) }
        #expect(error?.code == .writeFailed)
        let state = try store.load()
        #expect(state.seq == 1 && state.deviceSeq == 0 && state.doNotDisturb.isEmpty)
        #expect(state.calls.map(\.id) == ["c"] && state.calls.first?.state == .ringing)
        #expect(try store.events(after: 0).map(\.seq) == [1])
        var third = StoreBatch()
        third.append(event(2, call: "e"), call: Call(id: "e", deviceId: "d", state: .dialing, callType: .outbound))
        try store.commit(third)
        #expect(try store.load().seq == 2)
    }

    @Test func aMissingFolderIsACannotOpenError() {
        let error = #expect(throws: CallStoreError.self) {
            try CallStore(path: "/nonexistent-folder-\(UUID().uuidString)/state.sqlite")
        }
        #expect(error?.code == .cannotOpen)
        #expect(error?.description.contains("/nonexistent-folder-") == true)
    }
}

@Suite(.timeLimit(.minutes(1)))
struct CallStorageTests {
    @Test(arguments: StoreKind.allCases) func everyFieldSurvivesAStoreAndLoad(kind: StoreKind) throws {
        let place = try StorePlace(kind)
        let calls = [
            Call(
                id: "c \"1\"/é",
                deviceId: "dev-1",
                state: .released,
                callType: .consult,
                participants: ["+14155552671", "5001"],
                ani: "+14155552671",
                mute: .on,
                userData: ["k": "v", "ünïcode": "line\nbreak"],
                releasedAt: Date(timeIntervalSinceReferenceDate: 786_000_000.125),
                startTime: Date(timeIntervalSinceReferenceDate: 785_999_990.5),
                connectedTime: Date(timeIntervalSinceReferenceDate: 785_999_995.25),
                parentCallId: "p/1",
                consultOrigin: .conference,
                recordingState: .paused
            ),
            Call(id: "plain", deviceId: "dev-2", state: .dialing, callType: .outbound),
        ]
        do {
            let store = try place.open()
            defer { store.close() }
            var batch = StoreBatch()
            for (index, call) in calls.enumerated() {
                let event = StoredEvent(
                    seq: UInt64(index + 1), ownerId: "-", ownerSeq: UInt64(index + 1), topic: "t", body: Data("{}".utf8)
                )
                batch.append(event, call: call)
            }
            try store.commit(batch)
        }
        let loaded = try place.open().load().calls.sorted { $0.id < $1.id }
        #expect(loaded == calls.sorted { $0.id < $1.id })
    }

    @Test(arguments: StoreKind.allCases)
    func agentStatesDoNotDisturbAndDeviceSeqSurviveAStoreAndLoad(kind: StoreKind) throws {
        let place = try StorePlace(kind)
        let onBreak = AgentState(status: .notReady, reason: "Break")
        do {
            let store = try place.open()
            defer { store.close() }
            var batch = StoreBatch()
            batch.append(
                DeviceEvent(deviceSeq: 1, ownerId: "a", device: Device(id: "d1", ownerId: "a", userState: onBreak)))
            batch.append(
                DeviceEvent(deviceSeq: 2, ownerId: "b", device: Device(id: "d2", ownerId: "b", doNotDisturb: .on)))
            try store.commit(batch)
            var second = StoreBatch()
            // Back to LoggedOut: the row goes, as an absent state means LoggedOut.
            second.append(
                DeviceEvent(
                    deviceSeq: 3, ownerId: "b",
                    device: Device(id: "d2", ownerId: "b", userState: .loggedOut, doNotDisturb: .on)))
            try store.commit(second)
        }
        let state = try place.open().load()
        #expect(state.deviceSeq == 3)
        #expect(state.agentStates == ["a": onBreak])
        #expect(state.doNotDisturb == ["d1": .off, "d2": .on])
    }
}
