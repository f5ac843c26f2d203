import Calls
import CallsBusMessages
import Foundation

/// Reply frames as the bus sent them: printed raw for `--json`, checked for a refusal.
enum RawReply {
    /// The reply as text.
    static func text(_ reply: Data) -> String {
        String(decoding: reply, as: UTF8.self)
    }

    /// Throws the refusal that `reply` carries, if any.
    /// - Throws: `CallsError` with the bus's status code and message, or a decoding error for a
    ///   reply that is not a status object at all.
    static func checkStatus(_ reply: Data) throws {
        if let refusal = try JSONDecoder().decode(ReplyStatus.self, from: reply).error { throw refusal }
    }

    /// Decodes a successful reply.
    /// - Throws: the refusal, or a decoding error.
    static func decode<Reply: Decodable>(_ type: Reply.Type, from reply: Data) throws -> Reply {
        try checkStatus(reply)
        return try JSONDecoder().decode(type, from: reply)
    }
}
