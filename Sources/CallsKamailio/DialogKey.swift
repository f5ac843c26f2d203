/// Where a dialog lives in Kamailio's dialog table (`h_entry`, `h_id`).
public struct DialogKey: Sendable, Hashable {
    /// The hash entry.
    public var entry: Int
    /// The id within the entry.
    public var id: Int

    /// Creates a key.
    public init(entry: Int, id: Int) {
        self.entry = entry
        self.id = id
    }
}
