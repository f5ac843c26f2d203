import Calls
public import CallsBusMessages
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
    /// (its ``CallsBusMessages/ParsedReply/frame`` is the reply as the bus sent it).
    case resync(ParsedReply)
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

/// The numbers of an event body, found without reading its call: this runs for every event of
/// every subscription, where parsing the whole body (or `JSONDecoder`) costs many times as much.
struct EventHeader {
    var seq: UInt64
    var ownerSeq: UInt64
    var notificationType: String

    /// Reads the header of the event object at `range` of `bytes`; `nil` when it is not an event.
    init?(_ bytes: Data, in range: Range<Int>? = nil) {
        guard let members = try? JSONMembers(of: bytes, in: range) else { return nil }
        self.init(bytes, members)
    }

    /// Reads the header from an event's members.
    init?(_ bytes: Data, _ members: JSONMembers) {
        guard let seq = members.wholeNumber("seq", in: bytes),
            let ownerSeq = members.wholeNumber("ownerSeq", in: bytes),
            case .string(let notificationType)? = members.value("notificationType", in: bytes)
        else { return nil }
        self.seq = seq
        self.ownerSeq = ownerSeq
        self.notificationType = notificationType
    }
}
