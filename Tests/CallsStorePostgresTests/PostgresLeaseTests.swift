import CallsStore
import CallsStorePostgres
import CallsTesting
import Foundation
import Testing

/// The lease of a group of buses on a real PostgreSQL server: one holder at a time, a new epoch
/// at every takeover, renewals only by the holder, release and expiry by the database's clock.
@Suite(.timeLimit(.minutes(1)))
struct PostgresLeaseTests {
    private func database() throws -> PostgresURL { try PostgresURL(TestPostgres.shared().makeDatabase()) }

    @Test func oneHolderAtATimeAndOnlyItRenews() throws {
        let url = try database()
        let first = try PostgresLease(url: url, timeout: 30)
        let second = try PostgresLease(url: url, timeout: 30)
        #expect(first.holder != second.holder)
        let epoch = try #require(try first.acquire())
        #expect(epoch == 1)
        #expect(try second.acquire() == nil)
        #expect(try first.renew(epoch: epoch))
        #expect(try !second.renew(epoch: epoch))
        let current = try first.current()
        #expect(current.holder == first.holder && current.epoch == 1)
        #expect(current.remaining > 0 && current.remaining <= 30)
    }

    @Test func releaseLetsAnotherTakeOverAtOnceAndTheOldEpochCannotRenew() throws {
        let url = try database()
        let first = try PostgresLease(url: url, timeout: 30)
        let second = try PostgresLease(url: url, timeout: 30)
        let epoch = try #require(try first.acquire())
        first.release(epoch: epoch)
        #expect(try second.acquire() == epoch + 1)
        #expect(try !first.renew(epoch: epoch))
        // A late release under the old epoch does not free the new holder's lease.
        first.release(epoch: epoch)
        #expect(try first.acquire() == nil)
        #expect(try second.renew(epoch: epoch + 1))
    }

    @Test func anUnrenewedLeaseExpiresAfterItsTimeout() throws {
        let url = try database()
        let first = try PostgresLease(url: url, timeout: 0.3)
        let second = try PostgresLease(url: url, timeout: 30)
        let epoch = try #require(try first.acquire())
        #expect(try second.acquire() == nil)
        Thread.sleep(forTimeInterval: 0.4)
        #expect(try first.current().remaining <= 0)
        #expect(try second.acquire() == epoch + 1)
        #expect(try !first.renew(epoch: epoch))
    }

    @Test func theHolderTakingItAgainGetsANewEpoch() throws {
        let lease = try PostgresLease(url: try database(), timeout: 30)
        let first = try #require(try lease.acquire())
        let again = try #require(try lease.acquire())
        #expect(again == first + 1)
        #expect(try !lease.renew(epoch: first))
        #expect(try lease.renew(epoch: again))
    }
}
