public import CallsBusMessages
import CallsJSON
import Foundation

/// One page of an `events.replay` reply, each event as it was published: found in the reply's
/// bytes, never decoded and encoded again, so a replayed event is byte for byte the live one.
public struct ReplayPage: Sendable {
    /// The kept events after the requested `seq`, oldest first.
    public var events: [BusEvent]
    /// `true` when more events are kept after the last one: ask again with `after` = its `seq`.
    public var hasMore: Bool

    /// Reads a successful `events.replay` reply.
    /// - Throws: the refusal the reply carries (`CallsError`), or ``CallsJSON/JSONParseError``
    ///   when an event is not an object with its `seq`, `ownerSeq` and `notificationType`.
    public init(_ reply: ParsedReply) throws {
        let reply = try reply.checked()
        let frame = reply.frame
        events = try reply.elements(of: "events").map { range in
            let members = try JSONMembers(of: frame, in: range)
            guard let header = EventHeader(frame, members) else {
                throw JSONParseError(
                    message: "a replayed event without its seq, ownerSeq or type", offset: range.lowerBound)
            }
            return BusEvent(
                topic: members.value("topic", in: frame)?.stringValue ?? "",
                seq: header.seq,
                ownerSeq: header.ownerSeq,
                notificationType: header.notificationType,
                body: members.object(in: frame, without: "topic")
            )
        }
        hasMore = reply.flag("more")
    }
}
