import Calls
import Foundation
import GRDB

/// The bus's durable journal: current calls and recent events in one SQLite file (WAL).
///
/// A batch is committed in one transaction with `synchronous = FULL`, so once ``commit(_:)``
/// returns, the change survives a `kill -9` or a power cut. Owned by the bus's loop thread.
public final class CallStore {
    private let database: DatabaseQueue
    /// How many events are kept for replay.
    public let eventHistory: Int

    /// Opens (creating if needed) the store at `path`.
    /// - Parameters:
    ///   - path: the SQLite file; its folder must exist.
    ///   - eventHistory: events kept for replay, at least 1.
    /// - Throws: ``CallStoreError`` with ``CallStoreError/Code/cannotOpen``, naming the path.
    public init(path: String, eventHistory: Int = 100_000) throws(CallStoreError) {
        var configuration = Configuration()
        configuration.journalMode = .wal
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        do {
            database = try DatabaseQueue(path: path, configuration: configuration)
            try Self.migrator.migrate(database)
        } catch {
            throw CallStoreError(code: .cannotOpen, message: "cannot open the state file \(path)", underlying: error)
        }
        self.eventHistory = max(1, eventHistory)
    }

    /// Reads everything back: calls, the last `seq`, each owner's last `ownerSeq`.
    /// - Throws: ``CallStoreError`` when a row cannot be read or decoded.
    public func load() throws(CallStoreError) -> StoredState {
        do {
            return try database.read { db in
                var calls: [Call] = []
                let rows = try Row.fetchCursor(db, sql: "SELECT body FROM calls")
                while let row = try rows.next() {
                    calls.append(try Call(storage: row["body"]))
                }
                let seq = try UInt64.fetchOne(db, sql: "SELECT seq FROM counters WHERE name = 'seq'") ?? 0
                var ownerSeqs: [String: UInt64] = [:]
                for row in try Row.fetchAll(db, sql: "SELECT owner, seq FROM owners") {
                    ownerSeqs[row["owner"]] = row["seq"]
                }
                let oldest = try UInt64.fetchOne(db, sql: "SELECT MIN(seq) FROM events")
                return StoredState(calls: calls, seq: seq, ownerSeqs: ownerSeqs, oldestRetainedSeq: oldest)
            }
        } catch {
            throw CallStoreError(code: .corrupt, message: "cannot read the stored calls", underlying: error)
        }
    }

    /// Writes a batch in one durable transaction and trims the event history.
    /// - Throws: ``CallStoreError/Code/writeFailed``; then nothing of the batch was kept.
    public func commit(_ batch: StoreBatch) throws(CallStoreError) {
        guard !batch.isEmpty else { return }
        do {
            try database.write { db in
                try write(batch, into: db)
            }
        } catch {
            throw CallStoreError(code: .writeFailed, message: "cannot write to the state file", underlying: error)
        }
    }

    /// The kept events after `seq`, oldest first; only those of calls of `owner` when given.
    /// - Throws: ``CallStoreError/Code/readFailed``.
    public func events(after seq: UInt64, owner: String? = nil) throws(CallStoreError) -> [StoredEvent] {
        let after = Int64(clamping: seq)
        do {
            return try database.read { db in
                let rows =
                    if let owner {
                        try Row.fetchCursor(
                            db, sql: Self.selectEvents + " AND owner = ? ORDER BY seq", arguments: [after, owner])
                    } else {
                        try Row.fetchCursor(db, sql: Self.selectEvents + " ORDER BY seq", arguments: [after])
                    }
                var events: [StoredEvent] = []
                while let row = try rows.next() {
                    events.append(
                        StoredEvent(
                            seq: row["seq"],
                            ownerId: row["owner"],
                            ownerSeq: row["owner_seq"],
                            topic: row["topic"],
                            body: row["body"]
                        )
                    )
                }
                return events
            }
        } catch {
            throw CallStoreError(code: .readFailed, message: "cannot read the event history", underlying: error)
        }
    }

    private static let selectEvents = "SELECT seq, owner, owner_seq, topic, body FROM events WHERE seq > ?"

    private func write(_ batch: StoreBatch, into db: Database) throws {
        // Cached statements: a batch of 256 events would otherwise prepare the same SQL hundreds of times.
        let insertEvent = try db.cachedStatement(
            sql: "INSERT INTO events (seq, owner, owner_seq, topic, body) VALUES (?, ?, ?, ?, ?)"
        )
        var lastOwnerSeqs: [String: UInt64] = [:]
        for event in batch.events {
            try insertEvent.execute(arguments: [
                Int64(event.seq), event.ownerId, Int64(event.ownerSeq), event.topic, event.body,
            ])
            lastOwnerSeqs[event.ownerId] = event.ownerSeq
        }
        let upsertOwner = try db.cachedStatement(
            sql: "INSERT INTO owners (owner, seq) VALUES (?, ?) ON CONFLICT(owner) DO UPDATE SET seq = excluded.seq"
        )
        for (owner, seq) in lastOwnerSeqs {
            try upsertOwner.execute(arguments: [owner, Int64(seq)])
        }
        let upsertCall = try db.cachedStatement(
            sql: "INSERT INTO calls (id, body) VALUES (?, ?) ON CONFLICT(id) DO UPDATE SET body = excluded.body"
        )
        for call in batch.changedCalls.values {
            try upsertCall.execute(arguments: [call.id, call.storage])
        }
        let deleteCall = try db.cachedStatement(sql: "DELETE FROM calls WHERE id = ?")
        for id in batch.removedCallIds {
            try deleteCall.execute(arguments: [id])
        }
        if let last = batch.events.last {
            try db.execute(
                sql:
                    "INSERT INTO counters (name, seq) VALUES ('seq', ?) ON CONFLICT(name) DO UPDATE SET seq = excluded.seq",
                arguments: [Int64(last.seq)]
            )
            try db.execute(sql: "DELETE FROM events WHERE seq <= ?", arguments: [Int64(last.seq) - Int64(eventHistory)])
        }
    }

    private static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(
                sql: """
                    CREATE TABLE calls (id TEXT PRIMARY KEY NOT NULL, body BLOB NOT NULL);
                    CREATE TABLE events (
                        seq INTEGER PRIMARY KEY NOT NULL, owner TEXT NOT NULL, owner_seq INTEGER NOT NULL,
                        topic TEXT NOT NULL, body BLOB NOT NULL);
                    CREATE INDEX events_by_owner ON events (owner, seq);
                    CREATE TABLE owners (owner TEXT PRIMARY KEY NOT NULL, seq INTEGER NOT NULL);
                    CREATE TABLE counters (name TEXT PRIMARY KEY NOT NULL, seq INTEGER NOT NULL);
                    """
            )
        }
        return migrator
    }
}
