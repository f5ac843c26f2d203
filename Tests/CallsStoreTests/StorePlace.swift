import CallsStore
import CallsStorePostgres
import CallsTesting
import Foundation
import GRDB
import Testing

/// The two stores every shared test runs against.
enum StoreKind: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case sqlite
    case postgres

    var testDescription: String { rawValue }
}

/// Where one test keeps its state, for either store: a fresh SQLite file, or a fresh database on
/// the process's test PostgreSQL server with a lease that each ``open(eventHistory:)`` takes
/// again (a new epoch, as a restarted bus would).
final class StorePlace {
    let kind: StoreKind
    /// The file's path or the database's URL.
    let location: String
    private let lease: PostgresLease?

    init(_ kind: StoreKind) throws {
        self.kind = kind
        switch kind {
        case .sqlite:
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("store-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            location = folder.appendingPathComponent("state.sqlite").path
            lease = nil
        case .postgres:
            location = try TestPostgres.shared().makeDatabase()
            lease = try PostgresLease(url: PostgresURL(location), timeout: 60)
        }
    }

    /// Opens a store on the place.
    func open(eventHistory: Int = 100_000) throws -> any CallStorage {
        switch kind {
        case .sqlite:
            return try CallStore(path: location, eventHistory: eventHistory)
        case .postgres:
            let epoch = try #require(try lease?.acquire())
            return try PostgresCallStore(url: PostgresURL(location), epoch: epoch, eventHistory: eventHistory)
        }
    }

    /// How many rows the table of events holds, kept for replay or not yet trimmed.
    func storedEventRows() throws -> Int {
        switch kind {
        case .sqlite:
            return try DatabaseQueue(path: location).read {
                try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM events") ?? 0
            }
        case .postgres:
            let output = try TestPostgres.shared().psql(
                "SELECT COUNT(*) FROM calls_events", database: TestPostgres.databaseName(of: location))
            return Int(output.trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
        }
    }
}
