/// Where the bus keeps its state: the interface both stores give, the SQLite file of one machine
/// (``CallStore``) and the PostgreSQL database of a group of buses (`CallsStorePostgres`).
///
/// Every implementation keeps the same guarantees: once ``commit(_:)`` returns, the batch survives
/// a crash or a power cut; a failed commit keeps nothing of its batch; ``load()`` and
/// ``events(after:owner:limit:)`` see exactly the committed batches, and the history exactly the
/// last ``eventHistory`` events. Calls are synchronous: the bus calls them from its own threads,
/// never from an event loop.
public protocol CallStorage: AnyObject, Sendable {
    /// Names the store in logs and errors: the file's path, or the database without its password.
    var location: String { get }
    /// How many events are kept for replay.
    var eventHistory: Int { get }
    /// Reads everything back: calls, the last `seq`, each owner's last `ownerSeq`, devices.
    /// - Throws: ``CallStoreError`` when a row cannot be read or decoded.
    func load() throws(CallStoreError) -> StoredState
    /// Writes a batch in one durable transaction.
    /// - Throws: ``CallStoreError/Code/writeFailed``, or ``CallStoreError/Code/fenced`` when another
    ///   bus holds the store now; in both cases nothing of the batch was kept.
    func commit(_ batch: StoreBatch) throws(CallStoreError)
    /// The kept events after `seq`, oldest first; only those of calls of `owner` when given.
    /// - Parameter limit: the most events returned (a page); `nil` for all.
    /// - Throws: ``CallStoreError/Code/readFailed``.
    func events(after seq: UInt64, owner: String?, limit: Int?) throws(CallStoreError) -> [StoredEvent]
    /// Releases the store (its file lock, its connection); it is unusable afterwards.
    func close()
}

/// Which bus of a group may commit: a lease held in the shared database, numbered by an epoch that
/// grows at every takeover (`CallsStorePostgres`'s implementation explains the choice).
public protocol StoreLease: Sendable {
    /// How long a lease lasts without renewal (`--lease-timeout`).
    var timeout: Double { get }
    /// Tries once to take the lease: free, expired, or already this holder's.
    /// - Returns: the new epoch when this holder has the lease now, `nil` when another holds it.
    /// - Throws: ``CallStoreError`` when the database cannot be asked.
    func acquire() throws(CallStoreError) -> UInt64?
    /// Extends the lease taken under `epoch`.
    /// - Returns: `false` when it was lost: another holder took over, so this one must stand down.
    /// - Throws: ``CallStoreError`` when the database cannot be asked (the lease may still be held).
    func renew(epoch: UInt64) throws(CallStoreError) -> Bool
    /// Gives the lease up (graceful shutdown), so that a standby takes over at once.
    func release(epoch: UInt64)
}

extension CallStorage {
    /// Every kept event after `seq`, oldest first; only those of calls of `owner` when given.
    /// - Throws: ``CallStoreError/Code/readFailed``.
    public func events(after seq: UInt64, owner: String? = nil) throws(CallStoreError) -> [StoredEvent] {
        try events(after: seq, owner: owner, limit: nil)
    }
}
