import Calls
import Foundation
import HummingbirdBcrypt
import Logging
import ServiceLifecycle
import Synchronization
import Testing

@testable import CallsGateway

/// bcrypt on a bounded pool of its own: correct answers, a queue that sheds when full, and
/// logged-in users who never pass through it. A gate holds the bcrypt thread where a test
/// needs it busy, so nothing here depends on timing.
@Suite(.timeLimit(.minutes(1)))
struct PasswordVerifierTests {
    static let hash = Bcrypt.hash("right", cost: 4)

    /// A bcrypt check that waits at `gate` while `isHeld` is true.
    final class Gate: Sendable {
        let semaphore = DispatchSemaphore(value: 0)
        let isHeld = Mutex(false)

        func check(_ password: String, _ hash: String) -> Bool {
            if isHeld.withLock({ $0 }) { semaphore.wait() }
            return Bcrypt.verify(password, hash: hash)
        }

        func release(_ count: Int = 1) {
            for _ in 0..<count { semaphore.signal() }
        }
    }

    /// Runs `body` with `verifier` running as a service, then shuts it down gracefully.
    static func running<T: Sendable>(
        _ verifier: PasswordVerifier, _ body: @Sendable () async throws -> T
    ) async throws -> T {
        let group = ServiceGroup(
            services: [verifier], gracefulShutdownSignals: [], cancellationSignals: [],
            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
        return try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            let result: Result<T, any Error>
            do { result = .success(try await body()) } catch { result = .failure(error) }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
            return try result.get()
        }
    }

    /// Polls until `condition` holds (bounded by the suite's time limit; asserts nothing about time).
    static func waitUntil(_ condition: () -> Bool) async throws {
        while !condition() { try await Task.sleep(for: .milliseconds(5)) }
    }

    @Test func verificationIsStillCorrect() async throws {
        let verifier = PasswordVerifier(threads: 2, queue: 2)
        try await Self.running(verifier) {
            #expect(await verifier.verify("right", hash: Self.hash) == .match)
            #expect(await verifier.verify("wrong", hash: Self.hash) == .mismatch)
            #expect(await verifier.verify("", hash: Self.hash) == .mismatch)
            #expect(verifier.admitted == 0)
        }
    }

    @Test func aFullVerifierShedsAtOnceAndRecovers() async throws {
        let gate = Gate()
        gate.isHeld.withLock { $0 = true }
        let verifier = PasswordVerifier(threads: 1, queue: 1, check: gate.check)
        #expect(verifier.capacity == 2)
        try await Self.running(verifier) {
            async let first = verifier.verify("right", hash: Self.hash)
            async let second = verifier.verify("wrong", hash: Self.hash)
            // One check runs (held at the gate), one waits for the thread: the pool is full.
            try await Self.waitUntil { verifier.admitted == 2 }
            #expect(await verifier.verify("right", hash: Self.hash) == .saturated)
            gate.release(2)
            #expect(Set([await first, await second]) == [.match, .mismatch])
            #expect(verifier.admitted == 0)
            gate.isHeld.withLock { $0 = false }
            #expect(await verifier.verify("right", hash: Self.hash) == .match)
        }
    }

    /// The bcrypt thread is held busy and the queue is full, yet a remembered user is admitted:
    /// a cache hit never waits for the pool. A new login meanwhile is shed, not queued.
    @Test func aLoggedInUserNeverWaitsForTheVerifier() async throws {
        let gate = Gate()
        let verifier = PasswordVerifier(threads: 1, queue: 0, check: gate.check)
        let directory = try Directory(principals: [
            Principal(id: "admin", role: .contactCenterAdmin, passwordHash: Self.hash),
            Principal(id: "agent-1001", role: .agent, devices: ["dev-1001"], passwordHash: Self.hash),
        ])
        let cache = CredentialCache(
            directory: directory, lifetime: .seconds(60), verifier: verifier,
            throttle: LoginThrottle(policy: .init()))
        try await Self.running(verifier) {
            #expect(await cache.login(user: "admin", password: "right", from: "192.0.2.1").principal?.id == "admin")
            gate.isHeld.withLock { $0 = true }
            async let held = cache.login(user: "agent-1001", password: "right", from: "192.0.2.2")
            try await Self.waitUntil { verifier.admitted == 1 }
            for _ in 0..<3 {
                #expect(await cache.login(user: "admin", password: "right", from: "192.0.2.1").principal != nil)
            }
            guard case .saturated = await cache.login(user: "admin", password: "guess", from: "192.0.2.3") else {
                Issue.record("a login beyond the pool's capacity is shed")
                gate.release()
                return
            }
            gate.release()
            #expect(await held.principal?.id == "agent-1001")
        }
    }

}
