public import CallsStore
import Foundation
public import Logging
import PostgresNIO

/// The lease of a group of buses on one database: a row (`calls_lease`) naming its holder, an
/// expiry, and an epoch that grows at every takeover. The bus holding an unexpired lease is the
/// active one; the others try ``acquire()`` now and then and take over once it expired or was
/// released.
///
/// Why a row with an epoch, not an advisory lock held by a session: fencing needs a number that
/// every commit can check inside its own transaction (``PostgresCallStore`` reads the row
/// `FOR SHARE` and refuses a batch unless it still carries its epoch). An advisory lock is tied
/// to a connection: it vanishes silently when that connection drops (a network blip, a proxy
/// timeout), a second connection of the same bus does not see that it was lost, and it gives
/// nothing that a paused process's in-flight transaction can be checked against once it resumes.
/// With the row, a bus that was paused past its lease and resumes finds a higher epoch and is
/// fenced; and since its commit holds the row `FOR SHARE`, a takeover's `UPDATE` waits for a
/// commit already under way, so the new holder's ``CallStorage/load()`` sees every commit of the
/// old one.
///
/// Expiry is judged by the database's clock (`clock_timestamp()`), never by the buses', so
/// machines whose clocks disagree still agree on who holds the lease. Calls block the calling
/// thread for at most the statement timeout.
public final class PostgresLease: StoreLease {
    private let session: PostgresSession
    /// How long a lease lasts without renewal, in seconds.
    public let timeout: Double
    /// Who this process is in the lease row: host name, process id and a random part, unique per
    /// lease object.
    public let holder: String

    /// Connects and makes or checks the tables (as ``PostgresCallStore`` does), without taking
    /// the lease.
    /// - Parameters:
    ///   - url: the database.
    ///   - timeout: how long a lease lasts without renewal, in seconds (`--lease-timeout`).
    ///   - statementTimeout: seconds within which every connection attempt and statement must be
    ///     answered; by default a third of `timeout` (1 to 5), so that a renewal that gets no
    ///     answer fails while the lease still runs.
    ///   - logger: where the connection logs (at debug and below).
    /// - Throws: ``CallStoreError``, as ``PostgresCallStore/init(url:epoch:eventHistory:timeout:logger:)``.
    public init(
        url: PostgresURL, timeout: Double, statementTimeout: Double? = nil,
        logger: Logger = Logger(label: "calls.store.postgres.lease")
    ) throws(CallStoreError) {
        self.timeout = timeout
        let random = String(UInt64.random(in: 0...UInt64.max), radix: 16)
        holder = "\(ProcessInfo.processInfo.hostName)/\(getpid())/\(random)"
        session = PostgresSession(url: url, timeout: statementTimeout ?? min(5, max(1, timeout / 3)), logger: logger)
        do throws(CallStoreError) {
            try session.withConnection { link throws(CallStoreError) in try PostgresSchema.prepare(on: link) }
        } catch {
            session.close()
            throw error
        }
    }

    deinit { session.close() }

    /// Closes the connection (without releasing the lease); the lease object is unusable afterwards.
    public func close() { session.close() }

    /// The advisory lock the holder keeps on its lease connection (any number; ours is "calls").
    /// It adds nothing to safety, which the epoch gives: it only tells a standby at once that the
    /// holder's connection is gone, as when its process was killed (the kernel closes the socket,
    /// and PostgreSQL ends the session and its locks), so that the standby takes over without
    /// waiting for the lease to expire. A holder that is alive but paused or cut off keeps it (or
    /// its connection times out); then the expiry decides, as without it.
    static let liveLock: Int64 = 0x6361_6C6C_73

    /// Takes the lease when it is free, expired, released, or this holder's, with a new epoch; or
    /// when the holder's connection is gone (``liveLock`` is free) and it has not renewed for 40% of
    /// the timeout. That second condition matters just after a takeover: the new holder takes the
    /// live lock only at its first renewal (a quarter of the timeout later), and until then a bus
    /// that just stood down could otherwise find the lock free and take the lease straight back.
    /// - Returns: the new epoch, or `nil` when another holder has an unexpired lease.
    /// - Throws: ``CallStoreError/Code/readFailed`` when the database cannot be asked.
    public func acquire() throws(CallStoreError) -> UInt64? {
        try session.withConnection { link throws(CallStoreError) in
            let failure = (CallStoreError.Code.readFailed, "cannot take the lease")
            let holdsLiveLock = try Self.takeLiveLock(on: link, failure: failure)
            let epoch = try link.query(
                """
                UPDATE calls_lease SET epoch = epoch + 1, holder = \(holder), \
                expires_at = clock_timestamp() + make_interval(secs => \(timeout)) \
                WHERE name = 'bus' AND (expires_at <= clock_timestamp() OR holder = \(holder) \
                OR (\(holdsLiveLock) AND expires_at < clock_timestamp() + make_interval(secs => \(timeout * 0.6)))) \
                RETURNING epoch
                """, failure: failure
            ).first.map { row throws(CallStoreError) in UInt64(try PostgresSchema.decode(Int64.self, from: row)) }
            if epoch == nil, holdsLiveLock {
                // Another standby took the lease by expiry a moment earlier: leave it the lock.
                _ = try link.query("SELECT pg_advisory_unlock_all()", failure: failure)
            }
            return epoch
        }
    }

    /// Extends the lease taken under `epoch` by ``timeout`` from now (the database's now), and
    /// takes ``liveLock`` again if a new connection lost it.
    /// - Returns: `false` when the row carries another epoch or holder: the lease was lost.
    /// - Throws: ``CallStoreError/Code/readFailed`` when the database cannot be asked.
    public func renew(epoch: UInt64) throws(CallStoreError) -> Bool {
        try session.withConnection { link throws(CallStoreError) in
            let failure = (CallStoreError.Code.readFailed, "cannot renew the lease")
            let isHeld = try !link.query(
                """
                UPDATE calls_lease SET expires_at = clock_timestamp() + make_interval(secs => \(timeout)) \
                WHERE name = 'bus' AND epoch = \(Int64(clamping: epoch)) AND holder = \(holder) RETURNING epoch
                """, failure: failure
            ).isEmpty
            if isHeld {
                _ = try Self.takeLiveLock(on: link, failure: failure)
            } else {
                _ = try link.query("SELECT pg_advisory_unlock_all()", failure: failure)
            }
            return isHeld
        }
    }

    /// Expires the lease taken under `epoch` now and lets ``liveLock`` go, so that a standby takes
    /// over at once; does nothing to a lease lost already, nor when the database cannot be asked.
    public func release(epoch: UInt64) {
        _ = try? update(
            """
            UPDATE calls_lease SET expires_at = clock_timestamp() \
            WHERE name = 'bus' AND epoch = \(Int64(clamping: epoch)) AND holder = \(holder) RETURNING epoch
            """, failure: "cannot release the lease")
        _ = try? session.withConnection { link throws(CallStoreError) in
            try link.query("SELECT pg_advisory_unlock_all()", failure: (.readFailed, "cannot release the lease"))
        }
    }

    /// Takes ``liveLock`` on this connection unless it holds it already (advisory locks stack).
    /// - Returns: `true` when this connection holds it now.
    private static func takeLiveLock(
        on link: PostgresSession.Link, failure: (CallStoreError.Code, String)
    ) throws(CallStoreError) -> Bool {
        let rows = try link.query(
            """
            SELECT CASE WHEN EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid() \
            AND granted AND ((classid::int8 << 32) | objid::int8) = \(liveLock)) \
            THEN true ELSE pg_try_advisory_lock(\(liveLock)) END
            """, failure: failure)
        guard let row = rows.first else { return false }
        return (try? row.decode(Bool.self)) ?? false
    }

    /// Who holds the lease, under which epoch, and for how many more seconds (negative once
    /// expired), by the database's clock.
    /// - Throws: ``CallStoreError/Code/readFailed``.
    public func current() throws(CallStoreError) -> (holder: String, epoch: UInt64, remaining: Double) {
        try session.withConnection { link throws(CallStoreError) in
            let failure = (CallStoreError.Code.readFailed, "cannot read the lease")
            let rows = try link.query(
                """
                SELECT holder, epoch, EXTRACT(EPOCH FROM expires_at - clock_timestamp())::float8 \
                FROM calls_lease WHERE name = 'bus'
                """, failure: failure)
            guard let row = rows.first, let columns = try? row.decode((String, Int64, Double).self) else {
                throw CallStoreError(code: .corrupt, message: "the lease row of \(session.url.location) is missing")
            }
            return (columns.0, UInt64(columns.1), columns.2)
        }
    }

    private func update(_ query: PostgresQuery, failure message: String) throws(CallStoreError) -> UInt64? {
        try session.withConnection { link throws(CallStoreError) in
            try link.query(query, failure: (.readFailed, message)).first.map { row throws(CallStoreError) in
                UInt64(try PostgresSchema.decode(Int64.self, from: row))
            }
        }
    }
}
