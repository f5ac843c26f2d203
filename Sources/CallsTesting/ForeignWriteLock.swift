public import Foundation
import GRDB
import Synchronization

/// Another program's write transaction on a state file (a backup tool, an operator's `sqlite3`),
/// held open on a thread of its own until ``release()``: it makes the store's commits wait and,
/// past their busy timeout, fail.
public final class ForeignWriteLock: Sendable {
    private let acquired = DispatchSemaphore(value: 0)
    private let released = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)
    private let failure = Mutex<(any Error)?>(nil)

    /// Opens its own connection to `path` and takes the write lock (`BEGIN IMMEDIATE`).
    /// - Throws: the SQLite error when the lock cannot be had within 10 s.
    public init(path: String) throws {
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        let queue = try DatabaseQueue(path: path, configuration: configuration)
        Thread.detachNewThread { [self] in
            do {
                try queue.inTransaction(.immediate) { _ in
                    acquired.signal()
                    released.wait()
                    return .rollback
                }
            } catch {
                failure.withLock { $0 = error }
                acquired.signal()
            }
            finished.signal()
        }
        acquired.wait()
        if let error = failure.withLock({ $0 }) { throw error }
    }

    /// Ends the transaction and waits until the lock is gone.
    public func release() {
        released.signal()
        finished.wait()
    }

    /// Releases the lock after `seconds`, from another thread, without waiting.
    public func release(after seconds: TimeInterval) {
        let released = released
        DispatchQueue.global().asyncAfter(deadline: .now() + seconds) { released.signal() }
    }
}
