import Calls
import CallsJSON
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

/// The numbers of an event body, read with the project's own JSON reader: this runs for every
/// event of every subscription, where `JSONDecoder` costs about ten times as much.
struct EventHeader {
    var seq: UInt64
    var ownerSeq: UInt64
    var notificationType: String

    /// Reads the header of an event body; `nil` when the body is not an event.
    init?(body: Data) {
        guard case .object(let fields)? = try? JSONValue(parsing: body),
            case .number(let seq)? = fields["seq"], let seq = UInt64(exactly: seq),
            case .number(let ownerSeq)? = fields["ownerSeq"], let ownerSeq = UInt64(exactly: ownerSeq),
            case .string(let notificationType)? = fields["notificationType"]
        else { return nil }
        self.seq = seq
        self.ownerSeq = ownerSeq
        self.notificationType = notificationType
    }
}
