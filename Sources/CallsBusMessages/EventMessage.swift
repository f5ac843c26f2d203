public import Calls
import CallsJSON
public import Foundation

/// The body frame of a published event, and its replayed form.
///
/// On the wire: `{"seq":N,"ownerSeq":M,"messageType":"CallStateChangeMessage",
/// "notificationType":T,"call":{...}}`, plus `"digits"` for `DtmfSent`. Replayed events carry
/// the topic too, as their first key.
public struct EventMessage: Sendable, Hashable, Codable {
    /// The only message type of contract v1.
    public static let callStateChange = "CallStateChangeMessage"

    /// The topic it was published under; present only in replayed events.
    public var topic: String?
    /// The global sequence number.
    public var seq: UInt64
    /// The sequence number among the events of the same owner.
    public var ownerSeq: UInt64
    /// Always ``callStateChange``.
    public var messageType: String
    /// Why the event was published.
    public var notificationType: NotificationType
    /// The whole call, as `calls.get` returned it at that moment.
    public var call: CallResource
    /// The digits sent, for `DtmfSent`.
    public var digits: String?

    /// The body frame for `event`, around the call's JSON encoded once.
    public static func body(for event: CallEvent, callJSON: Data) -> Data {
        var body = Data(
            (#"{"seq":\#(event.seq),"ownerSeq":\#(event.ownerSeq),"messageType":"\#(callStateChange)","#
                + #""notificationType":"\#(event.notification.rawValue)","#).utf8
        )
        if let digits = event.digits {
            body.append(contentsOf: Array(#""digits":\#(JSONWriter.quoted(digits)),"#.utf8))
        }
        body.append(contentsOf: Array(#""call":"#.utf8))
        body.append(callJSON)
        body.append(UInt8(ascii: "}"))
        return body
    }

    /// A replayed event: the body's keys after a leading `"topic"`.
    public static func replayed(topic: String, body: Data) -> Data {
        var event = Data(#"{"topic":\#(JSONWriter.quoted(topic)),"#.utf8)
        event.append(body.dropFirst())
        return event
    }
}
