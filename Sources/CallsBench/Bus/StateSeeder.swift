import Calls
import CallsLoad
import CallsStore

/// Writes calls straight into a state file through ``CallsStore/CallStore``, as the bus would have
/// kept them, so that a scenario starts the service on a given number of calls without sending
/// them over the bus first.
enum StateSeeder {
    /// Writes `calls` in batches and closes the store.
    /// - Parameters:
    ///   - calls: the calls to keep.
    ///   - path: the state file; its folder must exist.
    ///   - batchSize: calls per transaction (one fsync each).
    /// - Returns: the seconds the writes took.
    /// - Throws: ``CallsStore/CallStoreError`` when the file cannot be opened or written.
    @discardableResult
    static func write(_ calls: [Call], to path: String, batchSize: Int = 5_000) throws -> Double {
        let start = MonotonicClock.now()
        // The store closes its database when released at the end of this scope, before the bus opens it.
        let store = try CallStore(path: path)
        var offset = 0
        while offset < calls.count {
            var batch = StoreBatch()
            for call in calls[offset..<min(offset + batchSize, calls.count)] {
                batch.changedCalls[call.id] = call
            }
            try store.commit(batch)
            offset += batchSize
        }
        return MonotonicClock.seconds(from: start, to: MonotonicClock.now())
    }
}
