public import Calls

/// The changes of several requests, written in one transaction: the unit of durability.
public struct StoreBatch: Sendable {
    /// Events to append, in `seq` order.
    public var events: [StoredEvent] = []
    /// Calls whose current form changed, by id; the last one wins.
    public var changedCalls: [String: Call] = [:]
    /// Ids of calls to forget (released and past retention).
    public var removedCallIds: Set<String> = []

    /// Creates an empty batch.
    public init() {}

    /// `true` when committing the batch would change nothing.
    public var isEmpty: Bool { events.isEmpty && changedCalls.isEmpty && removedCallIds.isEmpty }

    /// Records an event and the call as it is after it.
    public mutating func append(_ event: StoredEvent, call: Call) {
        events.append(event)
        changedCalls[call.id] = call
        removedCallIds.remove(call.id)
    }

    /// Records that a call is gone.
    public mutating func remove(callId: String) {
        changedCalls[callId] = nil
        removedCallIds.insert(callId)
    }
}
