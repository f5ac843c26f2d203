import CallsStore
import PostgresNIO

/// The tables of a group of buses, made and checked by whichever bus or lease connects first
/// (proto-docs/postgresql.md describes them).
enum PostgresSchema {
    /// The database format this version writes and the newest it reads.
    static let formatVersion = 1
    /// The name this application's row in `calls_format` carries.
    static let application = "calls-bus"
    /// Serializes the check and creation of the tables between buses starting together.
    private static let migrationLock: Int64 = 0x6361_6c6c_735f_6273

    /// Every table of ours: present together or not at all.
    static let tables = [
        "calls_format", "calls_lease", "calls_current", "calls_events", "calls_owners", "calls_counters",
        "calls_agent_states", "calls_devices",
    ]

    private static let creation = [
        "CREATE TABLE calls_format (application TEXT PRIMARY KEY, version INTEGER NOT NULL)",
        "CREATE TABLE calls_lease (name TEXT PRIMARY KEY, epoch BIGINT NOT NULL, holder TEXT NOT NULL, "
            + "expires_at TIMESTAMPTZ NOT NULL)",
        "CREATE TABLE calls_current (id TEXT PRIMARY KEY, body BYTEA NOT NULL)",
        "CREATE TABLE calls_events (seq BIGINT PRIMARY KEY, owner TEXT NOT NULL, owner_seq BIGINT NOT NULL, "
            + "topic TEXT NOT NULL, body BYTEA NOT NULL)",
        "CREATE INDEX calls_events_by_owner ON calls_events (owner, seq)",
        "CREATE TABLE calls_owners (owner TEXT PRIMARY KEY, seq BIGINT NOT NULL)",
        "CREATE TABLE calls_counters (name TEXT PRIMARY KEY, seq BIGINT NOT NULL)",
        "CREATE TABLE calls_agent_states (principal TEXT PRIMARY KEY, state TEXT NOT NULL, reason TEXT)",
        "CREATE TABLE calls_devices (id TEXT PRIMARY KEY, do_not_disturb TEXT NOT NULL)",
        "INSERT INTO calls_lease (name, epoch, holder, expires_at) VALUES ('bus', 0, '', 'epoch')",
        "INSERT INTO calls_format (application, version) VALUES ('\(application)', \(formatVersion))",
    ]

    /// Makes the tables in an empty database, or checks that they are ours and of a format this
    /// version reads; never touches another application's tables.
    /// - Throws: ``CallStoreError/Code/cannotOpen`` for a database holding other tables,
    ///   ``CallStoreError/Code/newerFormat`` for a newer format.
    static func prepare(on link: PostgresSession.Link) throws(CallStoreError) {
        let database = link.session.url.location
        let failure = (CallStoreError.Code.cannotOpen, "cannot prepare the tables")
        try link.transaction("ISOLATION LEVEL READ COMMITTED", failure: failure) { () throws(CallStoreError) in
            _ = try link.query("SELECT pg_advisory_xact_lock(\(migrationLock))", failure: failure)
            let present = try link.query(
                "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename",
                failure: failure
            ).map { row throws(CallStoreError) in try decode(String.self, from: row) }
            guard present.contains("calls_format") else {
                guard present.isEmpty else {
                    let shown = present.prefix(5).joined(separator: ", ") + (present.count > 5 ? ", ..." : "")
                    throw CallStoreError(
                        code: .cannotOpen,
                        message: "the database \(database) holds tables of another application (\(shown)); "
                            + "calls-bus needs an empty database of its own and leaves them untouched")
                }
                for statement in creation {
                    _ = try link.query(PostgresQuery(unsafeSQL: statement), failure: failure)
                }
                return
            }
            let versions = try link.query(
                "SELECT version FROM calls_format WHERE application = \(application)", failure: failure
            ).map { row throws(CallStoreError) in try decode(Int32.self, from: row) }
            guard let version = versions.first else {
                throw CallStoreError(
                    code: .cannotOpen,
                    message: "the database \(database) has a calls_format table that calls-bus did not make; "
                        + "calls-bus needs an empty database of its own and leaves it untouched")
            }
            guard version <= formatVersion else {
                throw CallStoreError(
                    code: .newerFormat,
                    message: "the database \(database) was written by a newer calls-bus (database format "
                        + "\(version)); this one reads database formats up to \(formatVersion)")
            }
        }
    }

    /// Reads one column of a row.
    static func decode<Value: PostgresDecodable>(
        _ type: Value.Type, from row: PostgresRow
    ) throws(CallStoreError) -> Value {
        do {
            return try row.decode(Value.self)
        } catch {
            throw CallStoreError(code: .corrupt, message: "a stored row has an unexpected type (\(Value.self))")
        }
    }
}
