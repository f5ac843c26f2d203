import HummingbirdBcrypt
import NIOPosix
import ServiceLifecycle
import Synchronization

/// bcrypt on a few threads of its own, behind a bounded queue.
///
/// bcrypt takes tens of milliseconds of CPU by design. Run on the threads that answer requests, a
/// flood of guesses stalls every other request (a logged-in admin's went from 1.9 ms to 2.8 s
/// under 25 guesses a second). Here it runs on ``threads`` dedicated threads, and at most
/// ``threads`` + `queue` checks are admitted at once: one more is ``Verification/saturated``
/// at once, without waiting, so a flood costs a bounded amount of CPU and memory and the
/// caller can answer 503.
///
/// The threads start at the first check and stop when the gateway shuts down gracefully (this is
/// one of the application's services).
final class PasswordVerifier: Service, Sendable {
    /// What a check found.
    enum Verification: Sendable, Equatable {
        case match
        case mismatch
        /// Every thread was busy and the queue full, or the gateway is shutting down: not checked.
        case saturated
    }

    private enum Phase {
        case idle
        case started
        case stopped
    }

    private struct State {
        var phase = Phase.idle
        /// Checks running or waiting for a thread.
        var admitted = 0
    }

    /// The threads that run bcrypt.
    let threads: Int
    /// The most checks admitted at once: the threads' own plus those that may wait.
    let capacity: Int
    private let pool: NIOThreadPool
    private let state = Mutex(State())
    private let check: @Sendable (_ password: String, _ hash: String) -> Bool

    /// - Parameters:
    ///   - threads: bcrypt threads (at least 1).
    ///   - queue: checks that may wait for a thread (0 or more).
    ///   - check: the bcrypt check (tests count or hold its calls).
    init(
        threads: Int,
        queue: Int,
        check: @escaping @Sendable (_ password: String, _ hash: String) -> Bool = { Bcrypt.verify($0, hash: $1) }
    ) {
        self.threads = max(1, threads)
        capacity = self.threads + max(0, queue)
        pool = NIOThreadPool(numberOfThreads: self.threads)
        self.check = check
    }

    /// Checks `password` against `hash` on a bcrypt thread, or refuses at once when full.
    func verify(_ password: String, hash: String) async -> Verification {
        let isAdmitted = state.withLock { state in
            guard state.phase != .stopped, state.admitted < capacity else { return false }
            if state.phase == .idle {
                // Under the lock, so that no check reaches the pool before it runs.
                pool.start()
                state.phase = .started
            }
            state.admitted += 1
            return true
        }
        guard isAdmitted else { return .saturated }
        defer { state.withLock { $0.admitted -= 1 } }
        let check = check
        do {
            return try await pool.runIfActive { check(password, hash) } ? .match : .mismatch
        } catch {
            // The pool stopped (shutdown) or the request was cancelled: nothing was checked.
            return .saturated
        }
    }

    /// Checks running or waiting now.
    var admitted: Int { state.withLock { $0.admitted } }

    /// Waits for graceful shutdown, then stops the threads.
    func run() async throws {
        try? await gracefulShutdown()
        let wasStarted = state.withLock { state in
            defer { state.phase = .stopped }
            return state.phase == .started
        }
        if wasStarted { try await pool.shutdownGracefully() }
    }
}
