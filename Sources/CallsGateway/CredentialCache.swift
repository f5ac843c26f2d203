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
final class CredentialCache: Sendable {
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
    private let verify: @Sendable (_ password: String, _ hash: String) -> Bool

    /// - Parameters:
    ///   - directory: the principals and their hashes.
    ///   - lifetime: how long a success is remembered.
    ///   - verify: the bcrypt check (tests count its calls).
    init(
        directory: Directory,
        lifetime: Duration,
        verify: @escaping @Sendable (_ password: String, _ hash: String) -> Bool = { Bcrypt.verify($0, hash: $1) }
    ) {
        self.directory = directory
        self.lifetime = lifetime
        self.verify = verify
        let cost = directory.principals.lazy.compactMap { $0.passwordHash.flatMap(Self.cost(of:)) }.first ?? 10
        decoyHash = Bcrypt.hash("decoy \(UInt64.random(in: .min ... .max))", cost: cost)
    }

    /// The principal for these credentials, or `nil` when they are wrong.
    func principal(user: String, password: String) -> Principal? {
        let principal = directory.principal(id: user)
        guard let principal, let hash = principal.passwordHash,
            // bcrypt reads a C string: whatever follows a NUL would be ignored, so such a password
            // could match a shorter one. It never matches.
            !password.utf8.contains(0)
        else {
            _ = verify(password, decoyHash)
            return nil
        }
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
        guard verify(password, Self.verifiable(hash)) else { return nil }
        entries.withLock { $0[user] = Entry(digest: digest, expires: now + lifetime) }
        return principal
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
