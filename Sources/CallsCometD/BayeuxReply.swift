import CallsJSON
import Foundation

/// What a response array holds: replies to the request's messages and queued messages.
enum BayeuxReply {
    /// A reply to a meta message, its fields in order.
    case meta([(String, JSONValue)])
    /// A message delivered to the session.
    case delivery(QueuedMessage)

    /// A reply echoing `message`'s `channel` and `id`, with `successful` and then `fields`.
    static func reply(to message: BayeuxMessage, successful: Bool, _ fields: [(String, JSONValue)] = []) -> Self {
        var all: [(String, JSONValue)] = []
        if let channel = message.channel { all.append(("channel", .string(channel))) }
        if let id = message.id { all.append(("id", id)) }
        all.append(("successful", .bool(successful)))
        return .meta(all + fields)
    }

    /// A refusal with a Bayeux `error` (`"402::Unknown client"`).
    static func error(to message: BayeuxMessage, _ error: String, _ fields: [(String, JSONValue)] = []) -> Self {
        var fields = [("error", JSONValue.string(error))] + fields
        if let clientId = message.clientId { fields.insert(("clientId", .string(clientId)), at: 0) }
        return reply(to: message, successful: false, fields)
    }

    /// `402::Unknown client` with the advice to handshake again.
    static func unknownClient(_ message: BayeuxMessage) -> Self {
        error(
            to: message, "402::Unknown client",
            [("advice", .object(["reconnect": .string("handshake"), "interval": .number(0)]))])
    }

    /// The response body: a JSON array of every reply, in order.
    static func encode(_ replies: [BayeuxReply]) -> Data {
        var data = Data("[".utf8)
        for (index, reply) in replies.enumerated() {
            if index > 0 { data.append(UInt8(ascii: ",")) }
            switch reply {
            case .meta(let fields):
                var writer = JSONWriter()
                writer.beginObject()
                for (key, value) in fields { writer.value(value, key: key) }
                writer.endObject()
                data.append(contentsOf: writer.bytes)
            case .delivery(let message):
                data.append(contentsOf: Array(#"{"channel":"#.utf8))
                data.append(contentsOf: Array(JSONWriter.quoted(message.channel).utf8))
                data.append(contentsOf: Array(#","data":"#.utf8))
                data.append(message.data)
                data.append(UInt8(ascii: "}"))
            }
        }
        data.append(UInt8(ascii: "]"))
        return data
    }
}
