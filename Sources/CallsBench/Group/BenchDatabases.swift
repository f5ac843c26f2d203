import CallsLoad
import Foundation
import Logging
import PostgresNIO

/// Fresh databases on the PostgreSQL server that `--postgres-url` names: every PostgreSQL
/// scenario runs on an empty database of its own (`bench_<pid>_<n>`), made through a connection
/// as the URL's user (who must be allowed to create databases) and dropped at the end.
final class BenchDatabases {
    private let components: URLComponents
    private let logger: Logger
    private var made: [String] = []

    /// Checks the URL's shape; connects only when a database is made.
    /// - Throws: ``CallsLoad/BenchError`` when the URL is not `postgres://user:password@host:port/dbname`.
    init(url: String) throws {
        guard let components = URLComponents(string: url), ["postgres", "postgresql"].contains(components.scheme),
            components.host?.isEmpty == false, components.user?.isEmpty == false
        else {
            throw BenchError("--postgres-url must look like postgres://user:password@host:port/dbname")
        }
        self.components = components
        logger = Logger(label: "bench-postgres", factory: { _ in SwiftLogNoOpLogHandler() })
    }

    /// The server without user or password, for the report: `host:port`.
    var server: String { "\(components.host ?? "?"):\(components.port ?? 5432)" }

    /// Creates an empty database.
    /// - Returns: its URL (the given one, with the database's name as its path).
    /// - Throws: ``CallsLoad/BenchError`` when the server refuses or cannot be reached.
    func make() async throws -> String {
        let name = "bench_\(getpid())_\(made.count + 1)_\(UInt16.random(in: 0...UInt16.max))"
        try await execute("CREATE DATABASE \(name)")
        made.append(name)
        var url = components
        url.path = "/\(name)"
        url.query = nil
        guard let string = url.string else { throw BenchError("cannot make the URL of database \(name)") }
        return string
    }

    /// Drops every database made here (their connections are cut: `WITH (FORCE)`); errors are ignored.
    func dropAll() async {
        for name in made.reversed() { try? await execute("DROP DATABASE IF EXISTS \(name) WITH (FORCE)") }
        made.removeAll()
    }

    private func execute(_ sql: String) async throws {
        let database = String(components.path.drop { $0 == "/" })
        let configuration = PostgresConnection.Configuration(
            host: components.host ?? "127.0.0.1", port: components.port ?? 5432, username: components.user ?? "",
            password: components.password, database: database.isEmpty ? "postgres" : database,
            tls: .disable)
        let connection: PostgresConnection
        do {
            connection = try await PostgresConnection.connect(configuration: configuration, id: 1, logger: logger)
        } catch {
            throw BenchError("cannot connect to the PostgreSQL server at \(server): \(String(reflecting: error))")
        }
        do {
            _ = try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger)
        } catch {
            try? await connection.close()
            throw BenchError("PostgreSQL at \(server) refused `\(sql)`: \(String(reflecting: error))")
        }
        try? await connection.close()
    }
}
