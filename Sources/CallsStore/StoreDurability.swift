/// The SQLite settings that decide whether a commit survives a power cut, as the store's own
/// connection reports them.
public struct StoreDurability: Sendable, Equatable {
    /// `PRAGMA journal_mode`: `wal` when the store runs as designed.
    public var journalMode: String
    /// `PRAGMA synchronous`: 2 (`FULL`) syncs the WAL at every commit; 1 (`NORMAL`) does not.
    public var synchronous: Int

    /// Creates a reading.
    public init(journalMode: String, synchronous: Int) {
        self.journalMode = journalMode
        self.synchronous = synchronous
    }

    /// `true` when every commit is synced to disk before it returns (WAL with `synchronous = FULL`
    /// or `EXTRA`).
    public var isDurable: Bool { journalMode == "wal" && synchronous >= 2 }
}
