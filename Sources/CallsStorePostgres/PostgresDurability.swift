/// The PostgreSQL settings that decide whether a commit survives a crash, as the store's own
/// connection reports them.
public struct PostgresDurability: Sendable, Equatable {
    /// `SHOW fsync`: `on` when the server forces its WAL to disk.
    public var fsync: String
    /// `SHOW synchronous_commit`: anything but `off` makes `COMMIT` wait for the WAL flush (the
    /// store asks for `on` at every connection).
    public var synchronousCommit: String

    /// Creates a reading.
    public init(fsync: String, synchronousCommit: String) {
        self.fsync = fsync
        self.synchronousCommit = synchronousCommit
    }

    /// `true` when every commit is on disk before it returns.
    public var isDurable: Bool { fsync == "on" && !synchronousCommit.isEmpty && synchronousCommit != "off" }
}
