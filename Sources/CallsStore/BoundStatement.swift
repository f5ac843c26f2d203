import Foundation
import GRDB
internal import GRDBSQLite

/// A statement of the commit path, prepared once per connection (GRDB's statement cache) and run
/// with values bound straight through the SQLite C API.
///
/// A batch runs the same few statements once per event and per call; through GRDB's
/// `StatementArguments` each run boxed every value as a `DatabaseValue` and copied every blob, which
/// cost more than SQLite's own insert. Only for statements that return no rows.
struct BoundStatement {
    /// SQLite's "copy the value now" destructor: bound strings are temporaries.
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    private let handle: SQLiteStatement
    private let connection: SQLiteConnection?
    private let sql: String

    /// Prepares `sql` on `db`, or takes it from the connection's statement cache.
    /// - Throws: GRDB's `DatabaseError` when the SQL does not compile.
    init(_ db: Database, sql: String) throws {
        handle = try db.cachedStatement(sql: sql).sqliteStatement
        connection = db.sqliteConnection
        self.sql = sql
    }

    /// Binds parameter `index` (1-based) to an integer.
    func bind(_ index: Int32, _ value: Int64) {
        sqlite3_bind_int64(handle, index, value)
    }

    /// Binds parameter `index` to text, copied by SQLite.
    func bind(_ index: Int32, _ text: String) {
        sqlite3_bind_text(handle, index, text, -1, Self.transient)
    }

    /// Runs the statement with the parameters `bind` sets (every parameter, each run). Blob bytes
    /// may be bound without a copy: they need to live only until this returns.
    /// - Throws: GRDB's `DatabaseError` with SQLite's code and message when the step fails.
    func run(_ bind: (Self) -> Void) throws {
        bind(self)
        let code = sqlite3_step(handle)
        sqlite3_reset(handle)
        // Drops the blob pointers, which are no longer valid once `bind`'s caller returns.
        sqlite3_clear_bindings(handle)
        guard code == SQLITE_DONE else {
            throw DatabaseError(
                resultCode: ResultCode(rawValue: code), message: connection.map { String(cString: sqlite3_errmsg($0)) },
                sql: sql)
        }
    }

    /// Runs the statement with `blob` bound to parameter `index` in place (not copied), and the
    /// other parameters set by `bind`.
    func run(blob: Data, at index: Int32, _ bind: (Self) -> Void) throws {
        try blob.withUnsafeBytes { bytes in
            try run { statement in
                if let base = bytes.baseAddress {
                    sqlite3_bind_blob(statement.handle, index, base, Int32(bytes.count), nil)
                } else {
                    sqlite3_bind_zeroblob(statement.handle, index, 0)
                }
                bind(statement)
            }
        }
    }
}
