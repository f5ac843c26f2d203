import Calls
import Crypto
import Foundation

/// The wallboard's sign-in: a signed token in an `HttpOnly`, `SameSite=Strict` cookie stands for
/// a principal until it expires. `EventSource` cannot send an `Authorization` header, so the page
/// signs in once with a form and the cookie does the rest.
///
/// The token is `v1~<expiry>~<principal id>~<HMAC-SHA256>`: nothing is kept per session, so there
/// is nothing to bound, and with a key file (`--session-key-file`) sessions survive a gateway
/// restart (without one, a key is drawn at start and a restart signs everyone out). A principal
/// removed from the directory, or whose password hash is removed, is refused at once. Signing out
/// clears the cookie; a copied token stays valid until it expires.
struct WallboardSessions: Sendable {
    /// The cookie's name.
    static let cookieName = "calls_session"

    let key: SymmetricKey
    let lifetime: Duration
    let directory: Directory

    init(key: SymmetricKey, lifetime: Duration, directory: Directory) {
        self.key = key
        self.lifetime = lifetime
        self.directory = directory
    }

    /// The token for a session of `principal` from `now`.
    func token(for principal: Principal, now: Date = Date()) -> String {
        let expiry = Int64(now.timeIntervalSince1970) + lifetime.components.seconds
        let payload = "v1~\(expiry)~\(principal.id)"
        return payload + "~" + Self.hex(HMAC<SHA256>.authenticationCode(for: Data(payload.utf8), using: key))
    }

    /// The principal a token stands for, if its signature holds and it has not expired.
    func principal(forToken token: String, now: Date = Date()) -> Principal? {
        let parts = token.split(separator: "~", omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0] == "v1", let expiry = Int64(parts[1]),
            Int64(now.timeIntervalSince1970) < expiry
        else { return nil }
        let payload = "v1~\(parts[1])~\(parts[2])"
        let expected = Self.hex(HMAC<SHA256>.authenticationCode(for: Data(payload.utf8), using: key))
        // Compared in constant time: the bytes of a wrong MAC leak nothing of the right one.
        guard expected.utf8.count == parts[3].utf8.count,
            zip(expected.utf8, parts[3].utf8).reduce(0, { $0 | ($1.0 ^ $1.1) }) == 0,
            let principal = directory.principal(id: String(parts[2])), principal.passwordHash != nil
        else { return nil }
        return principal
    }

    /// The session token in a `Cookie` header, if any.
    static func token(inCookieHeader header: String?) -> String? {
        guard let header else { return nil }
        for pair in header.split(separator: ";") {
            let parts = pair.split(separator: "=", maxSplits: 1)
            if parts.count == 2, parts[0].trimmingCharacters(in: .whitespaces) == cookieName {
                return parts[1].trimmingCharacters(in: .whitespaces)
            }
        }
        return nil
    }

    /// A key from a file of at least 32 bytes, or a fresh random one.
    static func key(fromFile path: String?) throws -> SymmetricKey {
        guard let path else { return SymmetricKey(size: .bits256) }
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        guard data.count >= 32 else {
            throw GatewayConfigurationError(
                key: "session-key-file", message: "\(path) must hold at least 32 bytes (e.g. head -c 32 /dev/urandom)")
        }
        return SymmetricKey(data: data)
    }

    private static func hex(_ code: some Sequence<UInt8>) -> String {
        code.map { byte in (byte < 16 ? "0" : "") + String(byte, radix: 16) }.joined()
    }
}
