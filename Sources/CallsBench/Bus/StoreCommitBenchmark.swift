import Calls
import CallsBusMessages
import CallsBusService
import CallsLoad
import CallsStore
import CallsStorePostgres
import Foundation
import Logging

/// `commit` of the core's batches on the SQLite file beside a PostgreSQL database, in the same
/// run: the real ``CallsBusService/BusCore`` makes each batch (Ringing/Established pairs, as in
/// the publishing run), and the very same batch is committed to both stores, one after the other.
enum StoreCommitBenchmark {
    /// Milliseconds per batch on each store.
    struct Result: Sendable, Encodable {
        /// Requests per batch, as the service takes them at most.
        var batchSize: Int
        /// Batches committed to each store.
        var batches: Int
        /// `CallStore.commit` (SQLite, `synchronous = FULL`), mean per batch.
        var sqliteMillisecondsPerBatch: Double
        /// `PostgresCallStore.commit` (`synchronous_commit = on`, lease row read `FOR SHARE`), mean per batch.
        var postgresMillisecondsPerBatch: Double
        /// The database measured, without its password.
        var postgresLocation: String

        /// PostgreSQL's time over SQLite's.
        var ratio: Double { postgresMillisecondsPerBatch / max(sqliteMillisecondsPerBatch, 1e-9) }
    }

    private static let batchSize = 256

    /// Commits batches to both stores for about `settings.scenarioSeconds`.
    /// - Parameter postgresURL: an empty database (its tables are made); `nil` skips the scenario.
    static func run(postgresURL: String?, settings: BenchSettings, folder: ScratchDirectory) throws -> Result? {
        guard let postgresURL else { return nil }
        let url = try PostgresURL(postgresURL)
        let lease = try PostgresLease(url: url, timeout: 60)
        guard let epoch = try lease.acquire() else {
            throw BenchError("another holder has the lease of \(url.location); give the benchmark an empty database")
        }
        defer { lease.release(epoch: epoch) }
        let postgres = try PostgresCallStore(url: url, epoch: epoch)
        defer { postgres.close() }
        let path = folder.file("commit-compare.sqlite")
        let sqlite = try CallStore(path: path)
        let core = try BusCore(
            configuration: BusConfiguration(statePath: path), directory: BenchFixtures.directory, store: sqlite,
            logger: Logger(label: "bench-core", factory: { _ in SwiftLogNoOpLogHandler() }))
        let source = RequestSource.ringAndAnswer(prefix: "commit-\(UInt32.random(in: 0...UInt32.max))-")
        var (sqliteTime, postgresTime, batches, requests) = (UInt64(0), UInt64(0), 0, 0)
        let deadline = MonotonicClock.now() + MonotonicClock.nanoseconds(settings.scenarioSeconds)
        repeat {
            for index in 0..<batchSize {
                _ = core.serve(BusCore.Request(Data(source.frame(0, requests + index))), makeDurable: {})
            }
            requests += batchSize
            guard let commit = core.takeCommit() else {
                throw BenchError("the core refused the benchmark's telephony events")
            }
            let start = MonotonicClock.now()
            try sqlite.commit(commit.batch)
            let middle = MonotonicClock.now()
            try postgres.commit(commit.batch)
            postgresTime += MonotonicClock.now() - middle
            sqliteTime += middle - start
            batches += 1
        } while MonotonicClock.now() < deadline && batches < 2_000
        let perBatch = { (time: UInt64) in Double(time) / Double(batches) / 1e6 }
        return Result(
            batchSize: batchSize, batches: batches, sqliteMillisecondsPerBatch: perBatch(sqliteTime),
            postgresMillisecondsPerBatch: perBatch(postgresTime), postgresLocation: url.location)
    }
}
