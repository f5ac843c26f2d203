public import Foundation

/// What an event subscription yields.
public enum BusStreamItem: Sendable {
    /// An event, in order, none missing.
    case event(BusEvent)
    /// The subscription missed events after `afterSeq` (this one arrived with `beforeSeq`); the
    /// missed ones follow, from `events.replay`, so nothing is skipped, but a watcher may say so.
    case gap(afterSeq: UInt64, beforeSeq: UInt64)
    /// The history no longer holds what was missed: start over from this `calls.list` reply
    /// (the raw reply frame, as the bus sent it).
    case resync(Data)
}

/// One event of a subscription.
public struct BusEvent: Sendable {
    /// The topic it was published under.
    public var topic: String
    /// The global sequence number.
    public var seq: UInt64
    /// The sequence number among the events of the same owner.
    public var ownerSeq: UInt64
    /// Why it was published.
    public var notificationType: String
    /// The body JSON as the bus published it (without `topic`).
    public var body: Data
}

/// The numbers of an event body, read without decoding the call.
struct EventHeader: Decodable {
    var seq: UInt64
    var ownerSeq: UInt64
    var notificationType: String
}
