import Calls
import CallsBusMessages

/// A `calls.list` reply with its calls decoded, for a mirror that a person reads.
struct CallsSnapshot: Sendable {
    /// The `seq` of the last event the snapshot holds.
    var seq: UInt64
    /// The calls the user may see.
    var calls: [CallResource]

    /// Reads a `calls.list` reply.
    /// - Throws: the refusal it carries, or a decoding error.
    init(_ reply: ParsedReply) throws {
        let reply = try reply.checked()
        guard let seq = reply.seq else { throw CallsError.internal("the calls.list reply has no seq") }
        self.seq = seq
        calls = try reply.decode([CallResource].self, at: "calls")
    }
}
