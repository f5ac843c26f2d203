import Calls
import HummingbirdBcrypt
import Synchronization

/// Basic-auth checks against the directory's bcrypt hashes, remembering successes for a while.
///
/// bcrypt is slow by design (tens of milliseconds), so a client making many requests would pay it
/// every time. A success is remembered per user as a keyed hash of the password (Swift's `Hasher`,
/// seeded at random per process, so the digest reveals nothing and cannot be precomputed) until
/// it expires; a failure is never remembered.
final class CredentialCache: Sendable {
    private struct Entry {
        var digest: Int
        var expires: ContinuousClock.Instant
    }

    private let directory: Directory
    private let lifetime: Duration
    private let entries = Mutex<[String: Entry]>([:])

    init(directory: Directory, lifetime: Duration) {
        self.directory = directory
        self.lifetime = lifetime
    }

    /// The principal for these credentials, or `nil` when they are wrong.
    func principal(user: String, password: String) -> Principal? {
        guard let principal = directory.principal(id: user), let hash = principal.passwordHash else { return nil }
        let digest = Self.digest(user: user, password: password)
        let now = ContinuousClock.now
        let isRemembered = entries.withLock { entries in
            guard let entry = entries[user] else { return false }
            if entry.expires <= now {
                entries[user] = nil
                return false
            }
            return entry.digest == digest
        }
        if isRemembered { return principal }
        guard Bcrypt.verify(password, hash: hash) else { return nil }
        entries.withLock { $0[user] = Entry(digest: digest, expires: now + lifetime) }
        return principal
    }

    private static func digest(user: String, password: String) -> Int {
        var hasher = Hasher()
        hasher.combine(user)
        hasher.combine(password)
        return hasher.finalize()
    }
}
