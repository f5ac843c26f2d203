import Synchronization

/// Failed logins per client address, and the wait they impose.
///
/// The first ``Policy/freeFailures`` failures from an address cost nothing more. Each further
/// failure locks the address out for ``Policy/firstDelay``, doubled per failure up to
/// ``Policy/maxDelay``: while locked out, its logins are refused (429) without running bcrypt,
/// so a guesser gets about one guess per ``Policy/maxDelay`` and burns no CPU in between.
/// Refusals during a lockout do not count as failures, and a success does not erase them (it
/// would buy a guesser with one valid account fresh guesses); an address is forgotten after
/// ``Policy/forgetAfter`` without a failure. Users already logged in (a credential cache hit)
/// never reach this.
///
/// Time is passed in, so tests do not sleep.
final class LoginThrottle: Sendable {
    /// How failures are counted and punished.
    struct Policy: Sendable {
        /// Failures from one address before lockouts start.
        var freeFailures: Int
        /// The first lockout's length.
        var firstDelay: Duration
        /// The longest lockout.
        var maxDelay: Duration
        /// How long an address's failures are remembered after its last one.
        var forgetAfter: Duration
        /// Addresses remembered at most; past it the oldest is forgotten first.
        var maxAddresses: Int

        init(
            freeFailures: Int = 5,
            firstDelay: Duration = .seconds(1),
            maxDelay: Duration = .seconds(60),
            forgetAfter: Duration = .seconds(600),
            maxAddresses: Int = 10_000
        ) {
            self.freeFailures = max(0, freeFailures)
            self.firstDelay = firstDelay
            self.maxDelay = max(firstDelay, maxDelay)
            self.forgetAfter = max(forgetAfter, self.maxDelay)
            self.maxAddresses = max(1, maxAddresses)
        }

        /// The lockout after the `failures`-th failure, or `nil` while failures are still free.
        func lockout(afterFailures failures: Int) -> Duration? {
            let excess = failures - freeFailures
            guard excess > 0 else { return nil }
            // 2^(excess-1) overflows long before it matters: stop doubling at the cap.
            var delay = firstDelay
            for _ in 1..<excess {
                delay *= 2
                if delay >= maxDelay { return maxDelay }
            }
            return min(delay, maxDelay)
        }
    }

    private struct Record {
        var failures: Int
        var lastFailure: ContinuousClock.Instant
        var lockedUntil: ContinuousClock.Instant?
    }

    let policy: Policy
    private let records = Mutex<[String: Record]>([:])

    init(policy: Policy) {
        self.policy = policy
    }

    /// How long `address` must still wait before its credentials are checked, or `nil` if it may try now.
    func wait(for address: String, at now: ContinuousClock.Instant) -> Duration? {
        records.withLock { records in
            guard let record = records[address] else { return nil }
            if now - record.lastFailure > policy.forgetAfter {
                records[address] = nil
                return nil
            }
            guard let until = record.lockedUntil, until > now else { return nil }
            return until - now
        }
    }

    /// Counts a failed login from `address`.
    /// - Returns: the lockout this failure starts, if any.
    @discardableResult
    func recordFailure(from address: String, at now: ContinuousClock.Instant) -> Duration? {
        records.withLock { records in
            var record = records[address] ?? Record(failures: 0, lastFailure: now)
            if now - record.lastFailure > policy.forgetAfter { record.failures = 0 }
            record.failures += 1
            record.lastFailure = now
            let lockout = policy.lockout(afterFailures: record.failures)
            record.lockedUntil = lockout.map { now + $0 }
            if records[address] == nil, records.count >= policy.maxAddresses {
                forgetOldest(in: &records, now: now)
            }
            records[address] = record
            return lockout
        }
    }

    /// Failures counted for `address` (for tests and metrics).
    func failures(from address: String) -> Int {
        records.withLock { $0[address]?.failures ?? 0 }
    }

    /// Makes room for one more address: drops those past ``Policy/forgetAfter``, or else the one
    /// whose last failure is oldest.
    private func forgetOldest(in records: inout [String: Record], now: ContinuousClock.Instant) {
        records = records.filter { now - $0.value.lastFailure <= policy.forgetAfter }
        guard records.count >= policy.maxAddresses,
            let oldest = records.min(by: { $0.value.lastFailure < $1.value.lastFailure })
        else { return }
        records[oldest.key] = nil
    }
}
