public import Foundation

/// Another client's session on the test server (an operator's `psql`, a second program), held
/// open and fed statements one at a time: it can take row locks that the store's commits then
/// wait for, to put a commit "in flight" at a known point.
public final class TestPostgresSession {
    private let process = Process()
    private let input = Pipe()
    private let server: TestPostgres
    private let database: String
    /// The `application_name` it connects under, to find it in `pg_stat_activity`.
    public let name: String

    /// Starts `psql` on `database` as the superuser.
    public init(server: TestPostgres, database: String) throws {
        self.server = server
        self.database = database
        name = "test-session-\(UUID().uuidString.prefix(8))"
        process.executableURL = URL(fileURLWithPath: "/usr/lib/postgresql/15/bin/psql")
        process.arguments = [
            "-h", server.directory, "-p", "\(server.port)", "-U", "postgres", "-d", database, "-X", "-q",
        ]
        process.environment = ["PGAPPNAME": name]
        process.standardInput = input
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try ProcessLaunch.run(process)
    }

    /// Sends statements (ended by `;`).
    public func send(_ sql: String) {
        input.fileHandleForWriting.write(Data((sql + "\n").utf8))
    }

    /// Waits until the session is idle inside an open transaction (it ran what was sent).
    public func waitUntilIdleInTransaction() throws {
        try server.waitFor(
            "SELECT count(*) FROM pg_stat_activity WHERE application_name = '\(name)' "
                + "AND state = 'idle in transaction'", toReturn: 1, in: database)
    }

    /// Ends the session (an open transaction is rolled back unless committed before) and waits
    /// for `psql` to exit.
    public func finish() {
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
    }
}

extension TestPostgres {
    /// Polls a query returning one number until it returns `expected` (10 s at most).
    /// - Throws: ``TestPostgresError`` when it never does.
    public func waitFor(_ sql: String, toReturn expected: Int, in database: String) throws {
        let deadline = Date().addingTimeInterval(10)
        while true {
            let output = try psql(sql, database: database).trimmingCharacters(in: .whitespacesAndNewlines)
            if Int(output) == expected { return }
            guard Date() < deadline else {
                throw TestPostgresError(message: "\(sql) returned \(output), not \(expected), for 10 s")
            }
            Thread.sleep(forTimeInterval: 0.02)
        }
    }
}
