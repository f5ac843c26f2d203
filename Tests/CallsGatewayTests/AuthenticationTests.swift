import Calls
import CallsTesting
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdBcrypt
import HummingbirdTesting
import Synchronization
import Testing

@testable import CallsGateway

/// HTTP Basic against the directory: the hash formats the contract accepts, and refusals that
/// reveal nothing (contract sections 7 and 11).
@Suite(.timeLimit(.minutes(1)))
struct AuthenticationTests {
    typealias H = GatewayHarness

    /// PHP's documented `password_verify` example, a `$2y$` hash as `htpasswd -B` and PHP make them.
    static let phpHash = "$2y$07$BCryptRequires22Chrcte/VlQH0piJtjXl.0t1XkA8pw9dMXTpOq"
    static let phpPassword = "rasmuslerdorf"

    private static func directory(adminHash: String) throws -> Directory {
        try Directory(principals: [
            Principal(id: "admin", role: .contactCenterAdmin, passwordHash: adminHash),
            Principal(id: "agent-1001", role: .agent, devices: ["dev-1001"]),
            Principal(id: "switch-1", role: .telephony),
        ])
    }

    private static func status(_ client: any TestClientProtocol, user: String, password: String) async throws
        -> HTTPResponse.Status
    {
        try await client.execute(uri: "/api/v2/me/calls", method: .get, headers: H.basic(user, password: password)) {
            $0.status
        }
    }

    private static func expect(
        _ client: any TestClientProtocol, user: String, password: String, _ expected: HTTPResponse.Status,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        let status = try await status(client, user: user, password: password)
        #expect(status == expected, "user \(user)", sourceLocation: sourceLocation)
    }

    @Test func aHashMadeByHtpasswdOrPHPLogsIn() async throws {
        let directory = try Self.directory(adminHash: Self.phpHash)
        try await H.run(directory: directory) { client, _ in
            try await Self.expect(client, user: "admin", password: Self.phpPassword, .ok)
            try await Self.expect(client, user: "admin", password: "rasmuslerdorF", .unauthorized)
        }
    }

    @Test(arguments: ["$2a$", "$2b$", "$2y$"])
    func everyBcryptPrefixOfTheContractLogsIn(prefix: String) async throws {
        let hash = prefix + Bcrypt.hash("pa55", cost: 4).dropFirst(4)
        let directory = try Self.directory(adminHash: hash)
        try await H.run(directory: directory) { client, _ in
            try await Self.expect(client, user: "admin", password: "pa55", .ok)
        }
    }

    @Test func aPasswordWithANulNeverMatches() async throws {
        try await H.run { client, _ in
            try await Self.expect(client, user: "admin", password: H.password, .ok)
            try await Self.expect(client, user: "admin", password: H.password + "\0", .unauthorized)
            try await Self.expect(client, user: "admin", password: H.password + "\0anything", .unauthorized)
        }
    }

    /// The hashes a cache's bcrypt checks used, in order.
    final class CheckLog: Sendable {
        private let hashes = Mutex<[String]>([])

        func append(_ hash: String) { hashes.withLock { $0.append(hash) } }
        var all: [String] { hashes.withLock { $0 } }
        var count: Int { hashes.withLock { $0.count } }
    }

    /// A cache whose bcrypt checks are logged, on a verifier of its own.
    static func countingCache(adminHash: String, freeFailures: Int = 100) throws -> (CredentialCache, CheckLog) {
        let checks = CheckLog()
        let verifier = PasswordVerifier(threads: 1, queue: 4) { password, hash in
            checks.append(hash)
            return Bcrypt.verify(password, hash: hash)
        }
        let cache = CredentialCache(
            directory: try Self.directory(adminHash: adminHash), lifetime: .seconds(60), verifier: verifier,
            throttle: LoginThrottle(policy: .init(freeFailures: freeFailures)))
        return (cache, checks)
    }

    /// An unknown user's 401 must cost what a wrong password costs, or its time tells which user
    /// names exist: every refusal runs exactly one bcrypt, at the directory's own cost. Counted, not
    /// timed, so a busy machine cannot make it flaky (before the change, refusing an unknown user
    /// ran none: 0.1 ms against 31 ms at cost 8).
    @Test(arguments: [
        ("admin", "wrong"), ("nobody", "wrong"), ("switch-1", "wrong"), ("admin", "right\0"), ("ADMIN", "right"),
    ])
    func everyRefusalRunsOneBcryptAtTheDirectorysCost(user: String, password: String) async throws {
        let (cache, checks) = try Self.countingCache(adminHash: Bcrypt.hash("right", cost: 6))
        #expect(CredentialCache.cost(of: cache.decoyHash) == 6)
        #expect(await cache.login(user: user, password: password, from: "192.0.2.1").principal == nil)
        let verified = checks.all
        #expect(verified.count == 1)
        #expect(verified.allSatisfy { CredentialCache.cost(of: $0) == 6 })
    }

    @Test func aSuccessIsRememberedAndAWrongPasswordIsNot() async throws {
        let (cache, checks) = try Self.countingCache(adminHash: Bcrypt.hash("right", cost: 4))
        #expect(await cache.login(user: "admin", password: "right", from: "192.0.2.1").principal?.id == "admin")
        #expect(await cache.login(user: "admin", password: "right", from: "192.0.2.1").principal?.id == "admin")
        #expect(checks.count == 1)
        #expect(await cache.login(user: "admin", password: "wrong", from: "192.0.2.1").principal == nil)
        #expect(await cache.login(user: "admin", password: "wrong", from: "192.0.2.1").principal == nil)
        #expect(checks.count == 3)
    }
}

extension CredentialCache.Verdict {
    /// The admitted principal, if any.
    var principal: Principal? {
        if case .admitted(let principal) = self { principal } else { nil }
    }
}
