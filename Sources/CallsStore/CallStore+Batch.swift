import Calls
import GRDB

extension CallStore {
    /// The history is trimmed when a batch's events cross a multiple of this many `seq`s, not at
    /// every commit: one range delete of a few thousand rows every so often frees whole pages,
    /// where a delete per batch rewrote the table's first pages in every commit. Until then up to
    /// this many (plus one batch) older rows stay in the file; reads and ``load()`` skip them, so
    /// what replay sees is exactly the last `eventHistory` events.
    static let trimInterval: UInt64 = 2_048

    /// Writes the rows of `batch` inside the caller's transaction.
    static func write(_ batch: StoreBatch, into db: Database, eventHistory: Int) throws {
        let insertEvent = try BoundStatement(
            db, sql: "INSERT INTO events (seq, owner, owner_seq, topic, body) VALUES (?, ?, ?, ?, ?)")
        var lastOwnerSeqs: [String: UInt64] = [:]
        for event in batch.events {
            try insertEvent.run(blob: event.body, at: 5) { statement in
                statement.bind(1, Int64(event.seq))
                statement.bind(2, event.ownerId)
                statement.bind(3, Int64(event.ownerSeq))
                statement.bind(4, event.topic)
            }
            lastOwnerSeqs[event.ownerId] = event.ownerSeq
        }
        let upsertOwner = try BoundStatement(
            db,
            sql: "INSERT INTO owners (owner, seq) VALUES (?, ?) ON CONFLICT(owner) DO UPDATE SET seq = excluded.seq")
        for (owner, seq) in lastOwnerSeqs {
            try upsertOwner.run { statement in
                statement.bind(1, owner)
                statement.bind(2, Int64(seq))
            }
        }
        let upsertCall = try BoundStatement(
            db, sql: "INSERT INTO calls (id, body) VALUES (?, ?) ON CONFLICT(id) DO UPDATE SET body = excluded.body")
        for call in batch.changedCalls.values {
            try upsertCall.run(blob: call.storage, at: 2) { $0.bind(1, call.id) }
        }
        let deleteCall = try BoundStatement(db, sql: "DELETE FROM calls WHERE id = ?")
        for id in batch.removedCallIds {
            try deleteCall.run { $0.bind(1, id) }
        }
        try writeDevices(of: batch, into: db)
        guard let first = batch.events.first?.seq, let last = batch.events.last?.seq else { return }
        let setSeq = try BoundStatement(
            db,
            sql: "INSERT INTO counters (name, seq) VALUES ('seq', ?) ON CONFLICT(name) DO UPDATE SET seq = excluded.seq"
        )
        try setSeq.run { $0.bind(1, Int64(last)) }
        if last / trimInterval != (max(first, 1) - 1) / trimInterval {
            let trim = try BoundStatement(db, sql: "DELETE FROM events WHERE seq <= ?")
            try trim.run { $0.bind(1, Int64(last) - Int64(eventHistory)) }
        }
    }
}
