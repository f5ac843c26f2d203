import Calls
import CallsStore
import CallsStorePostgres
import CallsTesting
import Foundation
import Testing

/// What the PostgreSQL store refuses, in one clear line that never shows the password: a URL it
/// cannot read, a database it cannot reach or log into, another application's tables, a newer
/// format; and the durability settings it reads back.
@Suite(.timeLimit(.minutes(1)))
struct PostgresCallStoreTests {
    private static let secret = "pw-that-must-not-leak"

    private func expectOneClearLine(_ error: CallStoreError?, code: CallStoreError.Code, saying text: String) {
        #expect(error?.code == code)
        #expect(error?.message.contains(text) == true, "\(error?.message ?? "no error")")
        #expect(error?.description.contains("\n") == false)
        #expect(error?.description.contains(Self.secret) == false)
    }

    @Test(arguments: [
        "http://calls:\(secret)@127.0.0.1:5432/calls", "postgres://calls:\(secret)@127.0.0.1:5432/",
        "postgres://127.0.0.1/calls", "postgres://calls:\(secret)@:5432/calls",
        "postgres://calls:\(secret)@127.0.0.1:5432/calls?sslmode=verify-full", "not a url \(secret)",
        "postgres://calls:\(secret)@127.0.0.1:99999/calls",
    ])
    func aMalformedURLIsRefused(url: String) {
        let error = #expect(throws: CallStoreError.self) { try PostgresURL(url) }
        expectOneClearLine(error, code: .cannotOpen, saying: "malformed database URL")
    }

    @Test func aURLIsReadAndNamedWithoutItsPassword() throws {
        let url = try PostgresURL("postgresql://calls:\(Self.secret)@db.example:6543/state?sslmode=disable")
        #expect(url.host == "db.example" && url.port == 6543 && url.user == "calls" && url.database == "state")
        #expect(url.location == "postgres://calls@db.example:6543/state")
        #expect("\(url)" == url.location)
        #expect(try PostgresURL("postgres://calls@localhost/state").port == 5432)
    }

    @Test func anUnreachableDatabaseIsAClearError() throws {
        let url = try PostgresURL("postgres://calls:\(Self.secret)@127.0.0.1:\(TestPostgres.freePort())/calls")
        let error = #expect(throws: CallStoreError.self) { try PostgresCallStore(url: url, epoch: 1) }
        expectOneClearLine(error, code: .cannotOpen, saying: "cannot reach the database \(url.location)")
        #expect(throws: CallStoreError.self) { try PostgresLease(url: url, timeout: 5) }
    }

    @Test func aServerThatNeverAnswersIsAnErrorWithinTheTimeout() throws {
        let listener = try SilentListener()
        let url = try PostgresURL("postgres://calls:\(Self.secret)@127.0.0.1:\(listener.port)/calls")
        let error = #expect(throws: CallStoreError.self) { try PostgresCallStore(url: url, epoch: 1, timeout: 0.3) }
        expectOneClearLine(error, code: .cannotOpen, saying: "no answer within the timeout")
    }

    @Test func wrongCredentialsAreAClearError() throws {
        let server = try TestPostgres.shared()
        let database = TestPostgres.databaseName(of: try server.makeDatabase())
        let url = try PostgresURL(server.url(database: database, password: Self.secret))
        let error = #expect(throws: CallStoreError.self) { try PostgresCallStore(url: url, epoch: 1) }
        expectOneClearLine(error, code: .cannotOpen, saying: "refused the credentials of user postgres")
    }

    @Test func anotherApplicationsTablesAreRefusedAndLeftUntouched() throws {
        let server = try TestPostgres.shared()
        let location = try server.makeDatabase()
        let database = TestPostgres.databaseName(of: location)
        try server.psql("CREATE TABLE orders (id INTEGER); INSERT INTO orders VALUES (7)", database: database)
        let error = #expect(throws: CallStoreError.self) { try PostgresCallStore(url: PostgresURL(location), epoch: 1) }
        expectOneClearLine(error, code: .cannotOpen, saying: "holds tables of another application (orders)")
        #expect(throws: CallStoreError.self) { try PostgresLease(url: PostgresURL(location), timeout: 5) }
        let tables = try server.psql(
            "SELECT string_agg(tablename, ',') FROM pg_tables WHERE schemaname = 'public'", database: database)
        #expect(tables.trimmingCharacters(in: .whitespacesAndNewlines) == "orders")
        #expect(try server.psql("SELECT id FROM orders", database: database).contains("7"))
    }

    @Test func aDatabaseOfANewerFormatIsRefusedNamingBothFormats() throws {
        let server = try TestPostgres.shared()
        let location = try server.makeDatabase()
        let url = try PostgresURL(location)
        try PostgresCallStore(url: url, epoch: 0).close()
        try server.psql("UPDATE calls_format SET version = 9", database: TestPostgres.databaseName(of: location))
        let error = #expect(throws: CallStoreError.self) { try PostgresCallStore(url: url, epoch: 0) }
        expectOneClearLine(error, code: .newerFormat, saying: "database format 9")
        #expect(error?.message.contains("up to \(PostgresCallStore.formatVersion)") == true)
    }

    @Test func commitsAreDurableEvenWhereTheDatabaseDefaultsToAsynchronousCommits() throws {
        let server = try TestPostgres.shared()
        let location = try server.makeDatabase()
        try server.psql(
            "ALTER DATABASE \(TestPostgres.databaseName(of: location)) SET synchronous_commit = off",
            database: "postgres")
        let store = try PostgresCallStore(url: PostgresURL(location), epoch: 0)
        #expect(try store.durability() == PostgresDurability(fsync: "on", synchronousCommit: "on"))
        #expect(try store.durability().isDurable)
        #expect(!PostgresDurability(fsync: "off", synchronousCommit: "on").isDurable)
        #expect(!PostgresDurability(fsync: "on", synchronousCommit: "off").isDurable)
        #expect(PostgresDurability(fsync: "on", synchronousCommit: "remote_apply").isDurable)
    }

    @Test func aServerWithoutFsyncIsRefused() throws {
        let server = try TestPostgres.separate(settings: ["fsync=off"])
        let url = try PostgresURL(server.makeDatabase())
        let error = #expect(throws: CallStoreError.self) { try PostgresCallStore(url: url, epoch: 0) }
        expectOneClearLine(
            error, code: .cannotOpen, saying: "does not commit durably (fsync=off, synchronous_commit=on)")
    }

    @Test func aCommitAfterTheDatabaseDroppedTheIdleConnectionConnectsAgain() throws {
        let server = try TestPostgres.shared()
        let location = try server.makeDatabase()
        let database = TestPostgres.databaseName(of: location)
        let store = try PostgresCallStore(url: PostgresURL(location), epoch: 0)
        #expect(try store.load().seq == 0)
        let ours = "FROM pg_stat_activity WHERE datname = '\(database)' AND application_name = 'calls-bus'"
        try server.psql("SELECT pg_terminate_backend(pid) " + ours, database: database)
        try server.waitFor("SELECT count(*) " + ours, toReturn: 0, in: database)
        var batch = StoreBatch()
        batch.append(
            StoredEvent(seq: 1, ownerId: "-", ownerSeq: 1, topic: "t", body: Data("{}".utf8)),
            call: Call(id: "c", deviceId: "d", state: .ringing, callType: .inbound))
        try store.commit(batch)
        #expect(try store.load().seq == 1)
        store.close()
        let error = #expect(throws: CallStoreError.self) { try store.load() }
        #expect(error?.message.contains("was closed") == true)
    }
}
