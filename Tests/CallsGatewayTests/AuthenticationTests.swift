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

    /// An unknown user's 401 must cost what a wrong password costs, or its time tells which user
    /// names exist: every refusal runs exactly one bcrypt, at the directory's own cost. Counted, not
    /// timed, so a busy machine cannot make it flaky (before the change, refusing an unknown user
    /// ran none: 0.1 ms against 31 ms at cost 8).
    @Test(arguments: [
        ("admin", "wrong"), ("nobody", "wrong"), ("switch-1", "wrong"), ("admin", "right\0"), ("ADMIN", "right"),
    ])
    func everyRefusalRunsOneBcryptAtTheDirectorysCost(user: String, password: String) throws {
        let hash = Bcrypt.hash("right", cost: 6)
        let checks = Mutex<[String]>([])
        let cache = CredentialCache(
            directory: try Self.directory(adminHash: hash), lifetime: .seconds(60),
            verify: { password, hash in
                checks.withLock { $0.append(hash) }
                return Bcrypt.verify(password, hash: hash)
            })
        #expect(CredentialCache.cost(of: cache.decoyHash) == 6)
        #expect(cache.principal(user: user, password: password) == nil)
        let verified = checks.withLock { $0 }
        #expect(verified.count == 1)
        #expect(verified.allSatisfy { CredentialCache.cost(of: $0) == 6 })
    }

    @Test func aSuccessIsRememberedAndAWrongPasswordIsNot() throws {
        let checks = Mutex(0)
        let cache = CredentialCache(
            directory: try Self.directory(adminHash: Bcrypt.hash("right", cost: 4)), lifetime: .seconds(60),
            verify: { password, hash in
                checks.withLock { $0 += 1 }
                return Bcrypt.verify(password, hash: hash)
            })
        #expect(cache.principal(user: "admin", password: "right")?.id == "admin")
        #expect(cache.principal(user: "admin", password: "right")?.id == "admin")
        #expect(checks.withLock { $0 } == 1)
        #expect(cache.principal(user: "admin", password: "wrong") == nil)
        #expect(cache.principal(user: "admin", password: "wrong") == nil)
        #expect(checks.withLock { $0 } == 3)
    }
}
