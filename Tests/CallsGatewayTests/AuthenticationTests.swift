import Calls
import CallsTesting
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdBcrypt
import HummingbirdTesting
import Testing

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

    /// An unknown user's 401 must cost what a wrong password costs (one bcrypt), or the time tells
    /// which user names exist. Medians of several tries, and a wide margin: the refusal that skips
    /// bcrypt is about 60 times faster at this cost.
    @Test func anUnknownUsersRefusalTakesAsLongAsAWrongPassword() async throws {
        let directory = try Self.directory(adminHash: Bcrypt.hash("right", cost: 8))
        try await H.run(directory: directory) { client, _ in
            func median(user: String) async throws -> Duration {
                var times: [Duration] = []
                for _ in 0..<7 {
                    let start = ContinuousClock.now
                    try await Self.expect(client, user: user, password: "wrong", .unauthorized)
                    times.append(ContinuousClock.now - start)
                }
                return times.sorted()[3]
            }
            let wrongPassword = try await median(user: "admin")
            let unknownUser = try await median(user: "nobody")
            let noHash = try await median(user: "switch-1")
            #expect(unknownUser > wrongPassword / 2, "unknown \(unknownUser) vs known \(wrongPassword)")
            #expect(noHash > wrongPassword / 2, "no hash \(noHash) vs known \(wrongPassword)")
        }
    }
}
