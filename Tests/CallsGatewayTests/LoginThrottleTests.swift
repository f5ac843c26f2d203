import Calls
import CallsTesting
import HTTPTypes
import Hummingbird
import HummingbirdBcrypt
import HummingbirdTesting
import Testing

@testable import CallsGateway

/// Failed logins per client address: free at first, then lockouts that double, answered 429
/// without a bcrypt. Time is passed in: nothing here sleeps.
@Suite(.timeLimit(.minutes(1)))
struct LoginThrottleTests {
    typealias H = GatewayHarness
    static let start = ContinuousClock.now

    @Test func lockoutsStartAfterTheFreeFailuresAndDoubleUpToTheCap() {
        let policy = LoginThrottle.Policy(freeFailures: 2, firstDelay: .seconds(1), maxDelay: .seconds(8))
        let lockouts = (1...8).map { policy.lockout(afterFailures: $0) }
        #expect(lockouts == [nil, nil, .seconds(1), .seconds(2), .seconds(4), .seconds(8), .seconds(8), .seconds(8)])
        #expect(policy.lockout(afterFailures: 1_000_000) == .seconds(8))
    }

    @Test func aLockedOutAddressWaitsAndOthersDoNot() {
        let throttle = LoginThrottle(policy: .init(freeFailures: 1, firstDelay: .seconds(2), maxDelay: .seconds(60)))
        let t0 = Self.start
        #expect(throttle.recordFailure(from: "192.0.2.1", at: t0) == nil)
        #expect(throttle.wait(for: "192.0.2.1", at: t0) == nil)
        #expect(throttle.recordFailure(from: "192.0.2.1", at: t0) == .seconds(2))
        #expect(throttle.wait(for: "192.0.2.1", at: t0 + .milliseconds(500)) == .milliseconds(1500))
        #expect(throttle.wait(for: "192.0.2.2", at: t0) == nil)
        #expect(throttle.wait(for: "192.0.2.1", at: t0 + .seconds(2)) == nil)
        // The next failure, once the wait is over, doubles it.
        #expect(throttle.recordFailure(from: "192.0.2.1", at: t0 + .seconds(2)) == .seconds(4))
        #expect(throttle.failures(from: "192.0.2.1") == 3)
    }

    @Test func anAddressIsForgottenAfterAQuietPeriod() {
        let policy = LoginThrottle.Policy(freeFailures: 1, maxDelay: .seconds(60), forgetAfter: .seconds(600))
        let throttle = LoginThrottle(policy: policy)
        let t0 = Self.start
        throttle.recordFailure(from: "192.0.2.1", at: t0)
        throttle.recordFailure(from: "192.0.2.1", at: t0)
        #expect(throttle.wait(for: "192.0.2.1", at: t0 + .seconds(601)) == nil)
        #expect(throttle.failures(from: "192.0.2.1") == 0)
        // Counting starts again from the free failures.
        #expect(throttle.recordFailure(from: "192.0.2.1", at: t0 + .seconds(602)) == nil)
    }

    @Test func theTableOfAddressesIsBounded() {
        let throttle = LoginThrottle(policy: .init(freeFailures: 0, maxAddresses: 2))
        let t0 = Self.start
        throttle.recordFailure(from: "192.0.2.1", at: t0)
        throttle.recordFailure(from: "192.0.2.2", at: t0 + .seconds(1))
        throttle.recordFailure(from: "192.0.2.3", at: t0 + .seconds(2))
        #expect(throttle.failures(from: "192.0.2.1") == 0, "the oldest is forgotten first")
        #expect(throttle.failures(from: "192.0.2.2") == 1)
        #expect(throttle.failures(from: "192.0.2.3") == 1)
    }

    /// A locked-out address is refused before bcrypt: the check count does not move, even for
    /// the right password, while a user already logged in is admitted from the cache.
    @Test func aLockedOutAddressRunsNoBcryptAndLoggedInUsersPass() async throws {
        let (cache, checks) = try AuthenticationTests.countingCache(
            adminHash: Bcrypt.hash("right", cost: 4), freeFailures: 1)
        #expect(await cache.login(user: "admin", password: "right", from: "192.0.2.9").principal?.id == "admin")
        guard case .refused(nil) = await cache.login(user: "nobody", password: "x", from: "192.0.2.9") else {
            Issue.record("the first failure is free")
            return
        }
        guard case .refused(let lockout?) = await cache.login(user: "nobody", password: "y", from: "192.0.2.9") else {
            Issue.record("the second failure starts a lockout")
            return
        }
        #expect(lockout == .seconds(1))
        let before = checks.count
        guard case .throttled = await cache.login(user: "admin", password: "wrong", from: "192.0.2.9") else {
            Issue.record("a locked-out address is refused unchecked")
            return
        }
        #expect(await cache.login(user: "admin", password: "right", from: "192.0.2.9").principal?.id == "admin")
        #expect(checks.count == before)
        // Another address is not affected.
        guard case .refused = await cache.login(user: "admin", password: "wrong", from: "192.0.2.10") else {
            Issue.record("another address is checked")
            return
        }
        #expect(checks.count == before + 1)
    }

    /// Over real TCP: the client's address is counted, the lockout is a 429 with `Retry-After`
    /// and `statusCode` 20, and the admin, logged in before, is still served.
    @Test func overTCPALockedOutAddressGets429() async throws {
        try await H.run(
            .live,
            tune: {
                $0.loginFailuresBeforeDelay = 2
                $0.loginDelay = .seconds(30)
            }
        ) { client, _ in
            func status(_ user: String, _ password: String) async throws -> TestResponse {
                try await client.execute(
                    uri: "/api/v2/me/calls", method: .get, headers: H.basic(user, password: password)
                ) { $0 }
            }
            #expect(try await status("admin", H.password).status == .ok)
            for _ in 0..<3 {
                #expect(try await status("agent-1001", "guess").status == .unauthorized)
            }
            let refused = try await status("agent-1001", H.password)
            #expect(refused.status == .tooManyRequests)
            #expect(refused.headers[.retryAfter] == "30")
            #expect(refused.headers[.wwwAuthenticate] == nil)
            #expect(refused.headers[.contentType] == "application/json")
            #expect(refused.json?.statusCode == 20)
            #expect(try await status("admin", H.password).status == .ok)
            let metrics = try await client.execute(uri: "/metrics", method: .get) { String(buffer: $0.body) }
            #expect(metrics.contains(#"calls_gateway_login_refusals_total{reason="throttled"} 1"#))
        }
    }
}
