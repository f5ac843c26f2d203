import Calls
import CallsStore
import CallsStorePostgres
import CallsTesting
import Foundation
import Synchronization
import Testing

/// A bus that lost the lease never commits again, and a takeover sees every commit of the old
/// holder, including one that was in flight when it happened.
@Suite(.timeLimit(.minutes(1)))
struct PostgresFencingTests {
    private func batch(_ seq: UInt64, call id: String) -> StoreBatch {
        var batch = StoreBatch()
        batch.append(
            StoredEvent(
                seq: seq, ownerId: "agent-1", ownerSeq: seq, topic: "calls/agent-1/\(id)", body: Data("{}".utf8)),
            call: Call(id: id, deviceId: "d", state: .ringing, callType: .inbound))
        return batch
    }

    @Test func aCommitAfterATakeoverIsFencedAndKeepsNothing() throws {
        let url = try PostgresURL(TestPostgres.shared().makeDatabase())
        let oldLease = try PostgresLease(url: url, timeout: 0.2)
        let oldEpoch = try #require(try oldLease.acquire())
        let old = try PostgresCallStore(url: url, epoch: oldEpoch)
        try old.commit(batch(1, call: "a"))
        // The old bus is paused past its lease; a standby takes over.
        Thread.sleep(forTimeInterval: 0.3)
        let newLease = try PostgresLease(url: url, timeout: 30)
        let newEpoch = try #require(try newLease.acquire())
        #expect(newEpoch == oldEpoch + 1)
        let error = #expect(throws: CallStoreError.self) { try old.commit(batch(2, call: "b")) }
        #expect(error?.code == .fenced)
        #expect(error?.message.contains("epoch \(newEpoch)") == true)
        let new = try PostgresCallStore(url: url, epoch: newEpoch)
        let state = try new.load()
        #expect(state.seq == 1)
        #expect(state.calls.map(\.id) == ["a"])
        #expect(state.ownerSeqs == ["agent-1": 1])
        try new.commit(batch(2, call: "c"))
        #expect(try new.events(after: 0).map(\.seq) == [1, 2])
        // Fenced for good: the old store refuses again, whatever it commits.
        #expect(throws: CallStoreError.fencedExample) { try old.commit(batch(3, call: "d")) }
        #expect(try !oldLease.renew(epoch: oldEpoch))
    }

    @Test func aTakeoverWaitsForTheCommitInFlightAndSeesIt() throws {
        let server = try TestPostgres.shared()
        let location = try server.makeDatabase()
        let database = TestPostgres.databaseName(of: location)
        let url = try PostgresURL(location)
        let oldLease = try PostgresLease(url: url, timeout: 0.2)
        let old = try PostgresCallStore(url: url, epoch: try #require(try oldLease.acquire()))
        try old.commit(batch(1, call: "a"))
        // Another session holds the `seq` counter, so the old bus's next commit stops there,
        // after it read the lease row FOR SHARE.
        let blocker = try TestPostgresSession(server: server, database: database)
        defer { blocker.finish() }
        blocker.send("BEGIN; SELECT seq FROM calls_counters WHERE name = 'seq' FOR UPDATE;")
        try blocker.waitUntilIdleInTransaction()
        let waitingForLocks =
            "SELECT count(*) FROM pg_stat_activity WHERE datname = '\(database)' AND wait_event_type = 'Lock'"
        let committed = Mutex<Result<Void, CallStoreError>?>(nil)
        let commitDone = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            let result = Result { () throws(CallStoreError) in try old.commit(batch(2, call: "b")) }
            committed.withLock { $0 = result }
            commitDone.signal()
        }
        try server.waitFor(waitingForLocks, toReturn: 1, in: database)
        // The lease has expired meanwhile: a standby's takeover must wait for the commit in flight.
        Thread.sleep(forTimeInterval: 0.3)
        let newLease = try PostgresLease(url: url, timeout: 30)
        let taken = Mutex<Result<UInt64?, CallStoreError>?>(nil)
        let takeoverDone = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            let result = Result { () throws(CallStoreError) in try newLease.acquire() }
            taken.withLock { $0 = result }
            takeoverDone.signal()
        }
        try server.waitFor(waitingForLocks, toReturn: 2, in: database)
        #expect(committed.withLock { $0 } == nil)
        #expect(taken.withLock { $0 } == nil)
        blocker.send("COMMIT;")
        commitDone.wait()
        takeoverDone.wait()
        #expect(throws: Never.self) { try committed.withLock { $0 }?.get() }
        let newEpoch = try #require(try taken.withLock { $0 }?.get())
        let new = try PostgresCallStore(url: url, epoch: newEpoch)
        let state = try new.load()
        #expect(state.seq == 2)
        #expect(Set(state.calls.map(\.id)) == ["a", "b"])
        #expect(try new.events(after: 0).map(\.seq) == [1, 2])
        let error = #expect(throws: CallStoreError.self) { try old.commit(batch(3, call: "c")) }
        #expect(error?.code == .fenced)
    }
}

extension CallStoreError {
    /// Any fenced error (errors compare by code).
    fileprivate static let fencedExample = CallStoreError(code: .fenced, message: "")
}
