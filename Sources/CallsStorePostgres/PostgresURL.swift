public import CallsStore
import Foundation

/// Where a group of buses keeps its state: `postgres://user:password@host:port/dbname` (or
/// `postgresql://`), with an optional `?sslmode=disable`.
///
/// The password is kept for the connection only: ``location``, ``description`` and every error
/// name the database without it.
public struct PostgresURL: Sendable, CustomStringConvertible {
    /// The server's host name or address.
    public var host: String
    /// The server's TCP port (5432 unless given).
    public var port: Int
    /// The role to log in as.
    public var user: String
    /// The role's password, if the URL gives one.
    var password: String?
    /// The database holding the tables.
    public var database: String

    /// Parses a URL.
    /// - Throws: ``CallStoreError/Code/cannotOpen`` with a one-line message that names what is
    ///   wrong and never repeats the URL (it may hold a password).
    public init(_ string: String) throws(CallStoreError) {
        let expected = "expected postgres://user:password@host:port/dbname"
        func malformed(_ reason: String) -> CallStoreError {
            CallStoreError(code: .cannotOpen, message: "malformed database URL (\(reason)); \(expected)")
        }
        guard let components = URLComponents(string: string) else { throw malformed("not a URL") }
        guard let scheme = components.scheme?.lowercased(), scheme == "postgres" || scheme == "postgresql" else {
            throw malformed("the scheme must be postgres or postgresql")
        }
        guard let host = components.host, !host.isEmpty else { throw malformed("no host") }
        guard let user = components.user, !user.isEmpty else { throw malformed("no user") }
        let database = String(components.path.drop { $0 == "/" })
        guard !database.isEmpty, !database.contains("/") else { throw malformed("no database name") }
        let port = components.port ?? 5432
        guard (1...65_535).contains(port) else { throw malformed("port out of range") }
        for item in components.queryItems ?? [] {
            switch (item.name, item.value) {
            case ("sslmode", "disable"): continue
            case ("sslmode", let mode):
                throw malformed("sslmode=\(mode ?? "") is not supported, only sslmode=disable")
            default:
                throw malformed("unknown parameter \(item.name)")
            }
        }
        self.host = host
        self.port = port
        self.user = user
        self.password = components.password
        self.database = database
    }

    /// The database without the password, for logs and errors: `postgres://user@host:port/dbname`.
    public var location: String {
        let bracketed = host.contains(":") ? "[\(host)]" : host
        return "postgres://\(user)@\(bracketed):\(port)/\(database)"
    }

    public var description: String { location }
}
