import Calls
import CallsBusMessages
import Foundation

/// Events for one user under one topic prefix, in order and without gaps.
///
/// It follows the contract's recipe itself: it subscribes first, then takes a `calls.list`
/// snapshot (or replays from a given `seq`) before it is handed out, drops what the snapshot
/// already holds, fills every gap from `events.replay` (saying so with ``BusStreamItem/gap(afterSeq:beforeSeq:)``),
/// and yields ``BusStreamItem/resync(_:)`` when the history no longer reaches back. A gap is a
/// jump in `seq` for the `calls/` prefix, in `ownerSeq` for one owner's prefix. Iterate it once.
public struct BusEventStream: AsyncSequence, Sendable {
    public typealias Element = BusStreamItem

    let raw: AsyncStream<RawEvent>
    let recipe: EventRecipe

    public func makeAsyncIterator() -> Iterator {
        Iterator(raw: raw.makeAsyncIterator(), recipe: recipe)
    }

    /// Pulls events from the subscription and repairs gaps as it goes.
    public struct Iterator: AsyncIteratorProtocol {
        var raw: AsyncStream<RawEvent>.Iterator
        var recipe: EventRecipe

        public mutating func next() async throws -> BusStreamItem? {
            while recipe.ready.isEmpty {
                if recipe.hasMoreHistory {
                    try await recipe.fill(after: recipe.lastSeq)
                    continue
                }
                guard let item = await raw.next() else { return nil }
                switch item {
                case .joinCheck:
                    try await recipe.fill(after: recipe.lastSeq)
                case .published(let topic, let body):
                    try await recipe.receive(topic: topic, body: body)
                }
            }
            return recipe.ready.removeFirst()
        }
    }
}

extension CallsBusClient {
    /// Subscribes to the events visible to `user` under `prefix` and returns them in order, gaps
    /// filled. The subscription and the starting snapshot (or replay) are made before this returns,
    /// so every event published from now on comes out of the stream.
    /// - Parameters:
    ///   - user: whose visibility the snapshot and replays follow.
    ///   - prefix: `calls/` for every call, `calls/<ownerId>/` for one owner's.
    ///   - after: start with the events after this `seq` (an SSE `Last-Event-ID`); `nil` for live from now.
    ///     One older than the history or beyond the latest `seq` starts with a resync.
    /// - Throws: ``BusUnavailableError``, or the bus's refusal of the snapshot or replay.
    public func events(for user: String, prefix: String, after: UInt64? = nil) async throws -> BusEventStream {
        // Subscribe before anything else, so nothing published from here on is missed.
        let raw = rawEvents(prefix: prefix)
        var recipe = EventRecipe(client: self, user: user, prefix: prefix)
        if let after {
            try await recipe.resume(after: after)
        } else {
            try await recipe.takeSnapshot(yielding: false)
        }
        return BusEventStream(raw: raw, recipe: recipe)
    }
}
