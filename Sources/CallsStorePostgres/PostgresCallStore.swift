import Calls
public import CallsStore
import Foundation
public import Logging
import NIOCore
import PostgresNIO

/// The state of a group of buses in a PostgreSQL database: the same calls, events, devices and
/// counters as the SQLite ``CallStore``, with the same guarantees, for the bus that holds the
/// group's lease (``PostgresLease``).
///
/// Every commit is one transaction that first reads the lease row `FOR SHARE` and rolls back with
/// ``CallStoreError/Code/fenced`` unless the row still carries the epoch this store was made
/// with: once another bus took the lease, this one never commits again, even if it was paused
/// in the middle of a commit (its transaction holds the row, so the takeover waits for it; a
/// commit that starts after the takeover sees the new epoch). Commits are durable: the session
/// runs with `synchronous_commit = on`, and the store refuses a server with `fsync` off.
///
/// Calls block the calling thread (never an event loop) until the database answers, for at most
/// the timeout given; a dead database gives an error, not a hang. Calls are serialized.
public final class PostgresCallStore: CallStorage {
    /// The database format this version writes and the newest it reads.
    public static let formatVersion = PostgresSchema.formatVersion

    let session: PostgresSession
    /// The database.
    public let url: PostgresURL
    /// The database without its password, for logs.
    public var location: String { url.location }
    /// How many events are kept for replay.
    public let eventHistory: Int
    /// The lease epoch every commit checks.
    public let epoch: UInt64

    /// Connects, makes or checks the tables, and checks that commits will be durable.
    /// - Parameters:
    ///   - url: the database.
    ///   - epoch: the lease epoch ``PostgresLease/acquire()`` gave; commits are refused once the
    ///     lease row carries another.
    ///   - eventHistory: events kept for replay, at least 1.
    ///   - timeout: seconds within which every connection attempt and statement must be answered.
    ///   - logger: where the connection logs (at debug and below).
    /// - Throws: ``CallStoreError`` with a one-line message naming the database (never its
    ///   password): ``CallStoreError/Code/cannotOpen`` when it cannot be reached, refuses the
    ///   credentials, holds another application's tables or does not commit durably;
    ///   ``CallStoreError/Code/newerFormat`` when a newer version made its tables.
    public init(
        url: PostgresURL, epoch: UInt64, eventHistory: Int = 100_000, timeout: Double = 5,
        logger: Logger = Logger(label: "calls.store.postgres")
    ) throws(CallStoreError) {
        self.url = url
        self.epoch = epoch
        self.eventHistory = max(1, eventHistory)
        session = PostgresSession(url: url, timeout: timeout, logger: logger)
        do throws(CallStoreError) {
            try session.withConnection { link throws(CallStoreError) in try PostgresSchema.prepare(on: link) }
            let settings = try durability()
            guard settings.isDurable else {
                throw CallStoreError(
                    code: .cannotOpen,
                    message: "the database \(url.location) does not commit durably (fsync=\(settings.fsync), "
                        + "synchronous_commit=\(settings.synchronousCommit)); refusing to acknowledge changes "
                        + "that a crash could lose")
            }
        } catch {
            session.close()
            throw error
        }
    }

    deinit { session.close() }

    /// Closes the connection; the store is unusable afterwards.
    public func close() { session.close() }

    /// The settings that decide whether a commit survives a crash, as the store's own connection
    /// reports them.
    /// - Throws: ``CallStoreError/Code/readFailed``.
    public func durability() throws(CallStoreError) -> PostgresDurability {
        try session.withConnection { link throws(CallStoreError) in
            let failure = (CallStoreError.Code.readFailed, "cannot read the database's settings")
            let fsync = try link.query("SHOW fsync", failure: failure).first
            let synchronous = try link.query("SHOW synchronous_commit", failure: failure).first
            return PostgresDurability(
                fsync: try fsync.map { row throws(CallStoreError) in try PostgresSchema.decode(String.self, from: row) }
                    ?? "",
                synchronousCommit: try synchronous.map { row throws(CallStoreError) in
                    try PostgresSchema.decode(String.self, from: row)
                } ?? "")
        }
    }

    /// Reads everything back, in one snapshot: calls, the last `seq`, each owner's last
    /// `ownerSeq`, devices.
    /// - Throws: ``CallStoreError`` when a row cannot be read or decoded.
    public func load() throws(CallStoreError) -> StoredState {
        let failure = (CallStoreError.Code.readFailed, "cannot read the stored calls")
        return try session.withConnection { link throws(CallStoreError) in
            try link.transaction("ISOLATION LEVEL REPEATABLE READ READ ONLY", failure: failure) {
                () throws(CallStoreError) -> StoredState in
                var calls: [Call] = []
                for row in try link.query("SELECT body FROM calls_current", failure: failure) {
                    let body = try PostgresSchema.decode(ByteBuffer.self, from: row)
                    do {
                        calls.append(try Call(storage: Data(body.readableBytesView)))
                    } catch {
                        throw CallStoreError(code: .corrupt, message: "cannot read the stored calls", underlying: error)
                    }
                }
                let counters = try Self.counters(on: link, failure: failure)
                let seq = counters["seq"] ?? 0
                var ownerSeqs: [String: UInt64] = [:]
                for row in try link.query("SELECT owner, seq FROM calls_owners", failure: failure) {
                    let (owner, ownerSeq) = try Self.decodePair(String.self, Int64.self, from: row)
                    ownerSeqs[owner] = UInt64(ownerSeq)
                }
                // The history is trimmed in chunks (see `commit`): older rows are not kept for replay.
                let oldest = try link.query("SELECT MIN(seq) FROM calls_events", failure: failure).first.flatMap {
                    row throws(CallStoreError) in try PostgresSchema.decode(Int64?.self, from: row)
                }.map { max(UInt64($0), seq >= UInt64(eventHistory) ? seq - UInt64(eventHistory) + 1 : 1) }
                var state = StoredState(calls: calls, seq: seq, ownerSeqs: ownerSeqs, oldestRetainedSeq: oldest)
                state.deviceSeq = counters["deviceSeq"] ?? 0
                try Self.loadDevices(on: link, into: &state, failure: failure)
                return state
            }
        }
    }

    /// The kept events after `seq`, oldest first; only those of calls of `owner` when given.
    /// - Parameter limit: the most events returned (a page); `nil` for all.
    /// - Throws: ``CallStoreError/Code/readFailed``.
    public func events(after seq: UInt64, owner: String?, limit: Int?) throws(CallStoreError) -> [StoredEvent] {
        let after = Int64(clamping: seq)
        let history = Int64(eventHistory)
        let count = limit.map { Int64(clamping: max(0, $0)) }
        let failure = (CallStoreError.Code.readFailed, "cannot read the event history")
        // Rows older than the last `eventHistory` may remain until the next trim; they are not returned.
        let floor: PostgresQuery =
            "GREATEST(\(after), COALESCE((SELECT seq FROM calls_counters WHERE name = 'seq'), 0) - \(history))"
        var query = PostgresQuery(
            unsafeSQL: "SELECT seq, owner, owner_seq, topic, body FROM calls_events WHERE seq > " + floor.sql,
            binds: floor.binds)
        if let owner {
            query.sql += " AND owner = $\(query.binds.count + 1)"
            query.binds.append(owner)
        }
        query.sql += " ORDER BY seq LIMIT $\(query.binds.count + 1)"
        query.binds.append(count)
        return try session.withConnection { link throws(CallStoreError) in
            try link.query(query, failure: failure).map { row throws(CallStoreError) in
                let columns: (Int64, String, Int64, String, ByteBuffer)
                do {
                    columns = try row.decode((Int64, String, Int64, String, ByteBuffer).self)
                } catch {
                    throw CallStoreError(code: .corrupt, message: "a stored event has an unexpected type")
                }
                return StoredEvent(
                    seq: UInt64(columns.0), ownerId: columns.1, ownerSeq: UInt64(columns.2), topic: columns.3,
                    body: Data(columns.4.readableBytesView))
            }
        }
    }
}
