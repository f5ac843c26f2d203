import Calls
import HummingbirdBcrypt
import Synchronization

/// Basic-auth checks against the directory's bcrypt hashes, remembering successes for a while.
///
/// bcrypt is slow by design (tens of milliseconds), so a client making many requests would pay it
/// every time. A success is remembered per user as a keyed hash of the password (Swift's `Hasher`,
/// seeded at random per process, so the digest reveals nothing and cannot be precomputed) until
/// it expires; a failure is never remembered.
///
/// A failure costs one bcrypt whatever the reason (unknown user, no hash, a NUL in the password,
/// a wrong password), so the time of a 401 does not tell whether the user exists.
///
/// A remembered success is answered here, on the request's own task: it never waits for the
/// ``PasswordVerifier`` (whose threads a flood of guesses may keep busy) nor for the
/// ``LoginThrottle``. Every other check first asks the throttle whether the client's address
/// is locked out (then no bcrypt runs), then waits its turn on the verifier.
final class CredentialCache: Sendable {
    /// What a login came to.
    enum Verdict: Sendable {
        /// The credentials are right.
        case admitted(Principal)
        /// The credentials are wrong; `lockout` is the wait this failure imposes on the address, if any.
        case refused(lockout: Duration?)
        /// The address is locked out for `retryAfter` more: nothing was checked.
        case throttled(retryAfter: Duration)
        /// Every bcrypt thread is busy and the queue full: nothing was checked.
        case saturated
    }

    private struct Entry {
        var digest: Int
        var expires: ContinuousClock.Instant
    }

    private let directory: Directory
    private let lifetime: Duration
    private let entries = Mutex<[String: Entry]>([:])
    /// A hash at the directory's own cost that no password matches, verified in place of a
    /// missing one so that every refusal takes as long as a wrong password.
    let decoyHash: String
    let verifier: PasswordVerifier
    let throttle: LoginThrottle

    /// - Parameters:
    ///   - directory: the principals and their hashes.
    ///   - lifetime: how long a success is remembered.
    ///   - verifier: where bcrypt runs.
    ///   - throttle: failures per client address.
    init(directory: Directory, lifetime: Duration, verifier: PasswordVerifier, throttle: LoginThrottle) {
        self.directory = directory
        self.lifetime = lifetime
        self.verifier = verifier
        self.throttle = throttle
        let cost = directory.principals.lazy.compactMap { $0.passwordHash.flatMap(Self.cost(of:)) }.first ?? 10
        decoyHash = Bcrypt.hash("decoy \(UInt64.random(in: .min ... .max))", cost: cost)
    }

    /// Checks `user`'s `password` for a client at `address`.
    func login(user: String, password: String, from address: String) async -> Verdict {
        let principal = directory.principal(id: user)
        let now = ContinuousClock.now
        // bcrypt reads a C string: whatever follows a NUL would be ignored, so such a password
        // could match a shorter one. It never matches.
        let hash = principal?.passwordHash.flatMap { password.utf8.contains(0) ? nil : $0 }
        let digest = Self.digest(user: user, password: password)
        if let principal, hash != nil, isRemembered(user: user, digest: digest, now: now) {
            return .admitted(principal)
        }
        if let wait = throttle.wait(for: address, at: now) { return .throttled(retryAfter: wait) }
        switch await verifier.verify(password, hash: hash.map(Self.verifiable) ?? decoyHash) {
        case .saturated:
            return .saturated
        case .match:
            if let principal, hash != nil {
                entries.withLock { $0[user] = Entry(digest: digest, expires: now + lifetime) }
                return .admitted(principal)
            }
            return .refused(lockout: throttle.recordFailure(from: address, at: ContinuousClock.now))
        case .mismatch:
            return .refused(lockout: throttle.recordFailure(from: address, at: ContinuousClock.now))
        }
    }

    private func isRemembered(user: String, digest: Int, now: ContinuousClock.Instant) -> Bool {
        entries.withLock { entries in
            guard let entry = entries[user] else { return false }
            if entry.expires <= now {
                entries[user] = nil
                return false
            }
            return entry.digest == digest
        }
    }

    /// The hash in a form the bcrypt verifier reads: `$2y$` (Apache's `htpasswd -B`, PHP) is the
    /// same algorithm as `$2b$`, under crypt_blowfish's name, which the verifier does not know.
    static func verifiable(_ hash: String) -> String {
        hash.hasPrefix("$2y$") ? "$2b$" + hash.dropFirst(4) : hash
    }

    /// The cost factor of a `$2?$NN$…` hash.
    static func cost(of hash: String) -> UInt8? {
        let parts = hash.split(separator: "$")
        guard parts.count >= 2, let cost = UInt8(parts[1]), (4...31).contains(cost) else { return nil }
        return cost
    }

    private static func digest(user: String, password: String) -> Int {
        var hasher = Hasher()
        hasher.combine(user)
        hasher.combine(password)
        return hasher.finalize()
    }
}
