import Calls
import CallsStore
import CallsTesting
import Foundation
import GRDB
import Testing

/// What keeps an acknowledged change on disk and the state file to one bus: the sync setting read
/// back, the write lock of another program, the lock between buses, and a file from a newer version.
@Suite(.timeLimit(.minutes(1)))
struct CallStoreSafetyTests {
    private let folder = TemporaryDirectory()
    private var path: String { folder.file("state.sqlite") }

    private func batch(_ seq: UInt64, call id: String = "c") -> StoreBatch {
        var batch = StoreBatch()
        batch.append(
            StoredEvent(seq: seq, ownerId: "-", ownerSeq: seq, topic: "calls/-/\(id)", body: Data("{}".utf8)),
            call: Call(id: id, deviceId: "d", state: .ringing, callType: .inbound)
        )
        return batch
    }

    @Test func everyCommitIsSyncedOnTheStoresOwnConnection() throws {
        defer { folder.remove() }
        let store = try CallStore(path: path)
        // GRDB's WAL set-up lowers synchronous to NORMAL (1), which does not sync the WAL at commit.
        #expect(try store.durability() == StoreDurability(journalMode: "wal", synchronous: 2))
        try store.commit(batch(1))
        #expect(try store.durability().isDurable)
        #expect(!StoreDurability(journalMode: "wal", synchronous: 1).isDurable)
        #expect(!StoreDurability(journalMode: "delete", synchronous: 2).isDurable)
    }

    @Test func aCommitWaitsForAnotherWritersLockWithinTheBusyTimeout() throws {
        defer { folder.remove() }
        let store = try CallStore(path: path, busyTimeout: 5)
        let lock = try ForeignWriteLock(path: path)
        lock.release(after: 0.3)
        try store.commit(batch(1))
        #expect(try store.load().seq == 1)
    }

    @Test func aCommitPastTheBusyTimeoutFailsAndKeepsNothing() throws {
        defer { folder.remove() }
        let store = try CallStore(path: path, busyTimeout: 0.1)
        try store.commit(batch(1))
        let lock = try ForeignWriteLock(path: path)
        let error = #expect(throws: CallStoreError.self) { try store.commit(batch(2, call: "d")) }
        lock.release()
        #expect(error?.code == .writeFailed)
        let state = try store.load()
        #expect(state.seq == 1)
        #expect(state.calls.map(\.id) == ["c"])
        try store.commit(batch(2, call: "d"))
        #expect(try store.load().seq == 2)
    }

    @Test func aSecondStoreOnTheSameFileIsRefusedUntilTheFirstCloses() throws {
        defer { folder.remove() }
        var first: CallStore? = try CallStore(path: path)
        try first?.commit(batch(1))
        let error = #expect(throws: CallStoreError.self) { try CallStore(path: path) }
        #expect(error?.code == .locked)
        #expect(error?.message.contains(path) == true)
        first = nil
        #expect(try CallStore(path: path).load().seq == 1)
    }

    @Test func aFileFromANewerVersionIsRefusedNamingBothFormats() throws {
        defer { folder.remove() }
        do {
            let store = try CallStore(path: path)
            try store.commit(batch(1))
        }
        try DatabaseQueue(path: path).write { db in
            try db.execute(sql: "PRAGMA user_version = 7")
        }
        let error = #expect(throws: CallStoreError.self) { try CallStore(path: path) }
        #expect(error?.code == .newerFormat)
        #expect(error?.message.contains("state format 7") == true)
        #expect(error?.message.contains("up to \(CallStore.formatVersion)") == true)
        #expect(error?.message.contains(path) == true)
    }

    @Test func aFileWithAMigrationThisVersionDoesNotKnowIsRefused() throws {
        defer { folder.remove() }
        _ = try CallStore(path: path)
        try DatabaseQueue(path: path).write { db in
            try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v9-from-the-future')")
        }
        let error = #expect(throws: CallStoreError.self) { try CallStore(path: path) }
        #expect(error?.code == .newerFormat)
    }

    @Test func aFileOfTheFirstReleaseOpensAndIsMarkedWithTheCurrentFormat() throws {
        defer { folder.remove() }
        do {
            let store = try CallStore(path: path)
            try store.commit(batch(1))
        }
        // The first release had only the "v1" migration and left user_version at 0.
        try DatabaseQueue(path: path).write { db in
            try db.execute(sql: "DELETE FROM grdb_migrations WHERE identifier <> 'v1'")
            try db.execute(sql: "DROP TABLE agent_states; DROP TABLE devices")
            try db.execute(sql: "PRAGMA user_version = 0")
        }
        #expect(try CallStore(path: path).load().seq == 1)
        let version = try DatabaseQueue(path: path).read { db in try Int.fetchOne(db, sql: "PRAGMA user_version") }
        #expect(version == CallStore.formatVersion)
    }

    /// Issue #11: a state file written by the v1 release (`Tests/fixtures/state-v1.sqlite`, made by
    /// `calls-bus` at a723d75) opens with every call, `seq`, `ownerSeq` and event kept, and gains
    /// the device tables.
    @Test func aStateFileOfTheV1ReleaseUpgradesInPlace() throws {
        defer { folder.remove() }
        let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../fixtures/state-v1.sqlite").standardizedFileURL
        try FileManager.default.copyItem(at: fixture, to: URL(fileURLWithPath: path))
        let before = try DatabaseQueue(path: path).read { db in
            (
                try Int.fetchOne(db, sql: "PRAGMA user_version"),
                try Row.fetchAll(db, sql: "SELECT seq, owner, owner_seq, topic, body FROM events ORDER BY seq"),
                try Row.fetchAll(db, sql: "SELECT id, body FROM calls ORDER BY id")
            )
        }
        #expect(before.0 == 1)
        let store = try CallStore(path: path)
        let state = try store.load()
        #expect(state.seq == 11)
        #expect(state.ownerSeqs == ["agent-1001": 5, "agent-1002": 6])
        #expect(state.calls.map(\.id).sorted() == ["v1-gone", "v1-held", "v1-out", "v1-ringing"])
        #expect(state.calls.allSatisfy { $0.startTime == nil && $0.connectedTime == nil && $0.parentCallId == nil })
        #expect(state.calls.first { $0.id == "v1-gone" }?.releasedAt != nil)
        #expect(state.calls.first { $0.id == "v1-held" }?.userData == ["case": "42"])
        #expect(state.deviceSeq == 0 && state.agentStates.isEmpty && state.doNotDisturb.isEmpty)
        let replayed = try store.events(after: 0)
        #expect(replayed.map(\.seq) == Array(1...11))
        #expect(replayed.map(\.body) == before.1.map { $0["body"] as Data })
        store.close()
        let version = try DatabaseQueue(path: path).read { db in try Int.fetchOne(db, sql: "PRAGMA user_version") }
        #expect(version == 2)
    }
}
