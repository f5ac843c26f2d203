import Calls
public import Foundation
import GRDB

/// The bus's durable journal: current calls and recent events in one SQLite file (WAL).
///
/// A batch is committed in one transaction with `synchronous = FULL`, so once ``commit(_:)``
/// returns, the change is on disk and survives a `kill -9` or a power cut: SQLite syncs the WAL
/// before the commit returns. The store reads both settings back when it opens and refuses to
/// run without them. It holds an exclusive advisory lock on the file for its whole life, so a
/// second bus cannot open the same state. Safe to share between threads: every access goes
/// through GRDB's serial `DatabaseQueue`.
public final class CallStore: CallStorage {
    /// The state format this version writes and the newest it reads.
    public static let formatVersion = 2

    private let database: DatabaseQueue
    private let lock: StateFileLock
    /// The state file.
    public let path: String
    /// The state file, for logs.
    public var location: String { path }
    /// How many events are kept for replay.
    public let eventHistory: Int

    /// Opens (creating if needed) the store at `path`.
    /// - Parameters:
    ///   - path: the SQLite file; its folder must exist.
    ///   - eventHistory: events kept for replay, at least 1.
    ///   - busyTimeout: how long a commit waits for another process's lock on the file before
    ///     it fails.
    /// - Throws: ``CallStoreError``: ``CallStoreError/Code/locked`` when another process has the
    ///   file open as a store, ``CallStoreError/Code/newerFormat`` when a newer version wrote it,
    ///   ``CallStoreError/Code/cannotOpen`` otherwise; each names the path.
    public init(path: String, eventHistory: Int = 100_000, busyTimeout: TimeInterval = 5) throws(CallStoreError) {
        self.path = path
        self.eventHistory = max(1, eventHistory)
        lock = try StateFileLock(path: path)
        var configuration = Configuration()
        configuration.busyMode = .timeout(busyTimeout)
        // Not `configuration.journalMode = .wal`: GRDB's WAL set-up lowers `synchronous` to
        // NORMAL after `prepareDatabase` runs, and a NORMAL commit does not sync the WAL.
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA journal_mode = WAL")
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        do {
            database = try DatabaseQueue(path: path, configuration: configuration)
        } catch {
            throw CallStoreError(code: .cannotOpen, message: "cannot open the state file \(path)", underlying: error)
        }
        try checkFormat()
        do {
            try Self.migrator.migrate(database)
        } catch {
            throw CallStoreError(code: .cannotOpen, message: "cannot open the state file \(path)", underlying: error)
        }
        do {
            try database.write(Self.indexEvents)
        } catch {
            throw CallStoreError(code: .cannotOpen, message: "cannot open the state file \(path)", underlying: error)
        }
        let settings = try durability()
        guard settings.isDurable else {
            throw CallStoreError(
                code: .cannotOpen,
                message: "the state file \(path) cannot be made durable (journal_mode=\(settings.journalMode), "
                    + "synchronous=\(settings.synchronous)); refusing to acknowledge changes that a power cut could lose"
            )
        }
    }

    /// Closes the file and releases its lock, so another store (a restarted bus) can open it at
    /// once; the store is unusable afterwards. Deinit does the same.
    public func close() {
        try? database.close()
        lock.release()
    }

    deinit {
        // Close SQLite before the lock: closing the lock's descriptor drops the process's POSIX
        // locks on the file, which SQLite's connection may still be using.
        try? database.close()
    }

    /// The journal and sync settings in force on the store's own connection.
    /// - Throws: ``CallStoreError/Code/readFailed``.
    public func durability() throws(CallStoreError) -> StoreDurability {
        do {
            return try database.read { db in
                StoreDurability(
                    journalMode: try String.fetchOne(db, sql: "PRAGMA journal_mode") ?? "",
                    synchronous: try Int.fetchOne(db, sql: "PRAGMA synchronous") ?? -1
                )
            }
        } catch {
            throw CallStoreError(code: .readFailed, message: "cannot read the state file's settings", underlying: error)
        }
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
                // The history is trimmed in chunks (see `write`), so older rows may remain: they are
                // no longer kept as far as replay is concerned.
                let oldest = try UInt64.fetchOne(db, sql: "SELECT MIN(seq) FROM events").map {
                    max($0, seq >= UInt64(eventHistory) ? seq - UInt64(eventHistory) + 1 : 1)
                }
                var state = StoredState(calls: calls, seq: seq, ownerSeqs: ownerSeqs, oldestRetainedSeq: oldest)
                try Self.loadDevices(from: db, into: &state)
                return state
            }
        } catch {
            throw CallStoreError(code: .corrupt, message: "cannot read the stored calls", underlying: error)
        }
    }

    /// Writes a batch in one durable transaction, trimming the event history now and then.
    /// - Throws: ``CallStoreError/Code/writeFailed``; then nothing of the batch was kept.
    public func commit(_ batch: StoreBatch) throws(CallStoreError) {
        guard !batch.isEmpty else { return }
        do {
            try database.write { db in
                try Self.write(batch, into: db, eventHistory: eventHistory)
            }
        } catch {
            throw CallStoreError(code: .writeFailed, message: "cannot write to the state file", underlying: error)
        }
    }

    /// The kept events after `seq`, oldest first; only those of calls of `owner` when given.
    /// - Parameter limit: the most events returned (a page); `nil` for all.
    /// - Throws: ``CallStoreError/Code/readFailed``.
    public func events(after seq: UInt64, owner: String?, limit: Int?) throws(CallStoreError)
        -> [StoredEvent]
    {
        let after = Int64(clamping: seq)
        let history = Int64(eventHistory)
        let count = Int64(clamping: limit ?? -1)
        do {
            return try database.read { db in
                let rows =
                    if let owner {
                        try Row.fetchCursor(
                            db, sql: Self.selectOwnerEvents + " AND owner = ? ORDER BY seq LIMIT ?",
                            arguments: [after, history, owner, count])
                    } else {
                        try Row.fetchCursor(
                            db, sql: Self.selectEvents + " ORDER BY seq LIMIT ?", arguments: [after, history, count])
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

    /// Rows older than the last `eventHistory` may still be in the file until the next trim; they
    /// are not returned.
    private static let selectEvents =
        "SELECT seq, owner, owner_seq, topic, body FROM events WHERE seq > MAX(?, "
        + "IFNULL((SELECT seq FROM counters WHERE name = 'seq'), 0) - ?)"
    /// One owner's events: found by scanning the small `(seq, owner)` index from `after`, not the
    /// rows themselves (which the planner would pick, as `seq` is the rowid).
    private static let selectOwnerEvents = selectEvents.replacingOccurrences(
        of: "FROM events", with: "FROM events INDEXED BY events_owner_by_seq")

    /// The history's index for owner replays is `(seq, owner)`, not the first release's
    /// `(owner, seq)`: a batch's events then land in one or two index pages, where under
    /// `(owner, seq)` every owner's range took a page of its own, and each commit rewrote about one
    /// index page per owner in the WAL (a quarter of a batch's commit time with 100 agents). An
    /// owner's replay scans the index from `after` (15 bytes an event) and reads only its own rows.
    /// Indexes are not part of the state format: a bus of the same format opens the file either way.
    private static func indexEvents(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE INDEX IF NOT EXISTS events_owner_by_seq ON events (seq, owner);
                DROP INDEX IF EXISTS events_by_owner;
                """)
    }

    /// Refuses a file that a newer version wrote: its rows may mean what this version cannot know.
    private func checkFormat() throws(CallStoreError) {
        let found: Int
        let unknownMigrations: Bool
        do {
            (found, unknownMigrations) = try database.read { db in
                (
                    try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0,
                    try Self.migrator.hasBeenSuperseded(db)
                )
            }
        } catch {
            throw CallStoreError(code: .cannotOpen, message: "cannot open the state file \(path)", underlying: error)
        }
        guard found <= Self.formatVersion, !unknownMigrations else {
            throw CallStoreError(
                code: .newerFormat,
                message: "the state file \(path) was written by a newer calls-bus (state format "
                    + "\(max(found, Self.formatVersion + 1))); this one reads state formats up to \(Self.formatVersion)"
            )
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
        // The first release left user_version at 0; from here on it names the state format, so
        // that an older bus can tell a newer file from its own (checkFormat).
        migrator.registerMigration("format-1") { db in
            try db.execute(sql: "PRAGMA user_version = 1")
        }
        // Contract v2: agent states and do-not-disturb survive restarts; call times, parents and
        // recording states live in the calls' bodies, which v1 bodies simply lack.
        migrator.registerMigration("format-2-devices") { db in
            try db.execute(
                sql: """
                    CREATE TABLE agent_states (principal TEXT PRIMARY KEY NOT NULL, state TEXT NOT NULL, reason TEXT);
                    CREATE TABLE devices (id TEXT PRIMARY KEY NOT NULL, do_not_disturb TEXT NOT NULL);
                    PRAGMA user_version = 2;
                    """
            )
        }
        return migrator
    }
}
