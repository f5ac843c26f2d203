import Calls
public import CallsStore
import NIOCore
import PostgresNIO

extension PostgresCallStore {
    /// The history is trimmed when a batch's events cross a multiple of this many `seq`s, not at
    /// every commit, as the SQLite store does: reads skip the older rows until then.
    static let trimInterval: UInt64 = 2_048

    /// Writes a batch in one durable transaction, under the lease row read `FOR SHARE`.
    /// - Throws: ``CallStoreError/Code/fenced`` when the lease row carries another epoch (another
    ///   bus took over), ``CallStoreError/Code/writeFailed`` otherwise; in both cases nothing of
    ///   the batch was kept.
    public func commit(_ batch: StoreBatch) throws(CallStoreError) {
        guard !batch.isEmpty else { return }
        let failure = (CallStoreError.Code.writeFailed, "cannot write to the database")
        try session.withConnection { link throws(CallStoreError) in
            try link.transaction("ISOLATION LEVEL READ COMMITTED", failure: failure) { () throws(CallStoreError) in
                try checkLease(on: link, failure: failure)
                try Self.write(batch, on: link, eventHistory: eventHistory, failure: failure)
            }
        }
    }

    /// Holds the lease row until the transaction ends, so that a takeover waits for this commit,
    /// and refuses when it no longer carries this store's epoch.
    private func checkLease(
        on link: PostgresSession.Link, failure: (code: CallStoreError.Code, message: String)
    ) throws(CallStoreError) {
        let row = try link.query("SELECT epoch FROM calls_lease WHERE name = 'bus' FOR SHARE", failure: failure).first
        let current = try row.map { row throws(CallStoreError) in try PostgresSchema.decode(Int64.self, from: row) }
        guard let current, current == Int64(clamping: epoch) else {
            throw CallStoreError(
                code: .fenced,
                message: "another bus holds the lease on \(location) now (epoch \(current.map(String.init) ?? "none"), "
                    + "this bus committed under \(epoch)); nothing of the batch was kept")
        }
    }

    private static func write(
        _ batch: StoreBatch, on link: PostgresSession.Link, eventHistory: Int,
        failure: (code: CallStoreError.Code, message: String)
    ) throws(CallStoreError) {
        if !batch.events.isEmpty {
            let events = batch.events
            _ = try link.query(
                """
                INSERT INTO calls_events (seq, owner, owner_seq, topic, body) SELECT * FROM unnest(\
                \(events.map { Int64($0.seq) })::bigint[], \(events.map(\.ownerId))::text[], \
                \(events.map { Int64($0.ownerSeq) })::bigint[], \(events.map(\.topic))::text[], \
                \(events.map { ByteBuffer(bytes: $0.body) })::bytea[])
                """, failure: failure)
            var lastOwnerSeqs: [String: Int64] = [:]
            for event in events { lastOwnerSeqs[event.ownerId] = Int64(event.ownerSeq) }
            _ = try link.query(
                """
                INSERT INTO calls_owners (owner, seq) SELECT * FROM unnest(\
                \(Array(lastOwnerSeqs.keys))::text[], \(Array(lastOwnerSeqs.values))::bigint[]) \
                ON CONFLICT (owner) DO UPDATE SET seq = excluded.seq
                """, failure: failure)
        }
        if !batch.changedCalls.isEmpty {
            let calls = Array(batch.changedCalls.values)
            _ = try link.query(
                """
                INSERT INTO calls_current (id, body) SELECT * FROM unnest(\
                \(calls.map(\.id))::text[], \(calls.map { ByteBuffer(bytes: $0.storage) })::bytea[]) \
                ON CONFLICT (id) DO UPDATE SET body = excluded.body
                """, failure: failure)
        }
        if !batch.removedCallIds.isEmpty {
            _ = try link.query(
                "DELETE FROM calls_current WHERE id = ANY(\(Array(batch.removedCallIds))::text[])", failure: failure)
        }
        try writeDevices(of: batch, on: link, failure: failure)
        guard let first = batch.events.first?.seq, let last = batch.events.last?.seq else { return }
        try setCounter("seq", to: last, on: link, failure: failure)
        if last / trimInterval != (max(first, 1) - 1) / trimInterval {
            _ = try link.query(
                "DELETE FROM calls_events WHERE seq <= \(Int64(last) - Int64(eventHistory))", failure: failure)
        }
    }

    static func setCounter(
        _ name: String, to value: UInt64, on link: PostgresSession.Link,
        failure: (code: CallStoreError.Code, message: String)
    ) throws(CallStoreError) {
        _ = try link.query(
            """
            INSERT INTO calls_counters (name, seq) VALUES (\(name), \(Int64(clamping: value))) \
            ON CONFLICT (name) DO UPDATE SET seq = excluded.seq
            """, failure: failure)
    }
}
