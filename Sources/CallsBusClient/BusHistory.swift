import CallsBusMessages

/// The events visible to one user after a given `seq`, from the bus's history alone (no
/// subscription): what a client that reconnects with a `seq` of its own has missed.
///
/// It ends once the history is read up to its latest event. A `seq` older than the history, or
/// beyond the bus's latest `seq`, yields one ``BusStreamItem/resync(_:)`` (the user's `calls.list`
/// reply) instead, exactly as ``CallsBusClient/events(for:prefix:after:)`` starts. Pages are asked
/// for one at a time, as the sequence is read. Iterate it once.
public struct BusHistory: AsyncSequence, Sendable {
    public typealias Element = BusStreamItem

    let recipe: EventRecipe

    public func makeAsyncIterator() -> Iterator {
        Iterator(recipe: recipe)
    }

    /// Reads the history page by page.
    public struct Iterator: AsyncIteratorProtocol {
        var recipe: EventRecipe

        public mutating func next() async throws -> BusStreamItem? {
            while recipe.ready.isEmpty {
                guard recipe.hasMoreHistory else { return nil }
                try await recipe.fill(after: recipe.lastSeq)
            }
            return recipe.ready.removeFirst()
        }
    }
}

extension CallsBusClient {
    /// The events visible to `user` after `seq`, or a resync when the history cannot give them.
    /// The first page (or the snapshot) is read before this returns.
    /// - Throws: ``BusUnavailableError``, or the bus's refusal of the replay or snapshot.
    public func history(for user: String, after seq: UInt64) async throws -> BusHistory {
        var recipe = EventRecipe(client: self, user: user, prefix: EventTopic.allCalls)
        try await recipe.resume(after: seq)
        return BusHistory(recipe: recipe)
    }
}
