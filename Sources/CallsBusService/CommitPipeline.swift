import CallsStore
import Foundation
import Synchronization
import ZMQ

/// Commits the bus's batches on a thread of its own, in the order given, so that the loop applies
/// the next batch while one is being synced to disk (pipelined group commit).
///
/// A dedicated thread, not a dispatch queue: a commit blocks in `fdatasync` or on another
/// program's lock, and the shared dispatch pool (two threads on two cores) could otherwise be
/// starved by such waits, leaving a batch unanswered.
///
/// Each commit's outcome comes back through ``completions``, which the loop polls beside its
/// sockets; the loop then publishes that batch's events and sends its replies. Once a commit
/// fails, every batch queued behind it was built on a state that was never stored, so none of
/// them may be committed: the pipeline refuses them all until the loop, having reloaded the
/// stored state, calls ``restart()``.
final class CommitPipeline: Sendable {
    /// What became of one submitted batch.
    struct Completion: Sendable {
        /// The number ``submit(_:)`` returned.
        var id: UInt64
        /// The ``restart()`` generation the batch was submitted in.
        var generation: UInt64
        /// `nil` when the batch is durable; else why nothing of it was kept.
        var error: CallStoreError?
    }

    private struct State {
        var generation: UInt64 = 0
        var nextId: UInt64 = 1
        var isHalted = false
        /// Batches waiting for the thread, oldest first; `nil` asks it to stop.
        var queue: [(id: UInt64, generation: UInt64, batch: StoreBatch)?] = []
    }

    /// Outcomes, in submission order.
    let completions: Mailbox<Completion>
    private let store: any CallStorage
    private let state = Mutex(State())
    private let waiting = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)

    /// Creates a pipeline writing to `store`, with its thread; ``stop()`` ends the thread.
    /// - Throws: ``ZMQError`` when the completions mailbox cannot be made (out of descriptors).
    init(store: any CallStorage) throws(ZMQError) {
        self.store = store
        completions = try Mailbox()
        let thread = Thread { [self] in runCommits() }
        thread.name = "calls-bus-commit"
        thread.start()
    }

    /// Ends the thread once the batches already submitted are done, and waits for it: after this
    /// the store is no longer used by the pipeline. Call it once.
    func stop() {
        state.withLock { $0.queue.append(nil) }
        waiting.signal()
        finished.wait()
    }

    private func runCommits() {
        defer { finished.signal() }
        while true {
            waiting.wait()
            guard let next = state.withLock({ $0.queue.removeFirst() }) else { return }
            commit(next.batch, id: next.id, generation: next.generation)
        }
    }

    private func commit(_ batch: StoreBatch, id: UInt64, generation: UInt64) {
        let isRefused = state.withLock { $0.isHalted || $0.generation != generation }
        var failure: CallStoreError?
        if isRefused {
            failure = CallStoreError(
                code: .writeFailed, message: "not written: an earlier batch it depends on was not stored")
        } else {
            do throws(CallStoreError) {
                try store.commit(batch)
            } catch {
                failure = error
                state.withLock { $0.isHalted = true }
            }
        }
        completions.post(Completion(id: id, generation: generation, error: failure))
    }

    /// The generation a completion must carry to belong to the batches submitted since the last
    /// ``restart()``.
    var generation: UInt64 { state.withLock { $0.generation } }

    /// Queues `batch` for commit behind the ones already submitted.
    /// - Returns: the batch's number, which its ``Completion`` carries.
    func submit(_ batch: StoreBatch) -> UInt64 {
        let id = state.withLock { state in
            let id = state.nextId
            state.nextId += 1
            state.queue.append((id, state.generation, batch))
            return id
        }
        waiting.signal()
        return id
    }

    /// Starts a new generation after a failure: batches still queued from before are refused,
    /// batches submitted from now on are committed.
    /// - Returns: the new generation.
    func restart() -> UInt64 {
        state.withLock { state in
            state.isHalted = false
            state.generation += 1
            return state.generation
        }
    }
}
