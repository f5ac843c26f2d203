import Calls
import CallsBusClient
import CallsBusMessages
import Logging

/// The replay extension: a subscription to calls with `ext.replay` first receives what the user
/// missed after that `seq`, from the bus's history, or one `Resync` message with a snapshot.
struct SessionReplay: Sendable {
    let bus: CallsBusClient
    let registry: SessionRegistry

    /// Reads the history for `user` and queues it on the session, before the live events that
    /// arrived meanwhile. More than a queue's worth becomes a `Resync` instead of an overflow.
    func replay(after seq: UInt64, for user: String, session clientId: String, logger: Logger) async {
        var messages: [QueuedMessage] = []
        var isResync = false
        do {
            for try await item in try await bus.history(for: user, after: seq) {
                switch item {
                case .event(let event):
                    messages.append(.call(seq: event.seq, body: event.body))
                case .resync(let reply):
                    messages = [try Self.resync(reply)]
                    isResync = true
                case .gap:
                    break
                }
                if messages.count >= registry.configuration.maxQueuedMessages {
                    messages = [try await snapshot(for: user)]
                    isResync = true
                    break
                }
            }
        } catch {
            // The session still gets the live events; what it missed cannot be told now.
            logger.warning(
                "cometd replay failed", metadata: ["cometd.client.id": "\(clientId)", "error": "\(error)"])
            messages = []
            isResync = false
        }
        registry.finishReplay(clientId, of: user, messages: messages, isResync: isResync)
    }

    /// A `Resync` message from the user's `calls.list` snapshot.
    func snapshot(for user: String) async throws -> QueuedMessage {
        try Self.resync(try await bus.send(BusRequest(operation: .listCalls, user: user)).checked())
    }

    /// A `Resync` message from a `calls.list` reply.
    static func resync(_ reply: ParsedReply) throws -> QueuedMessage {
        guard let seq = reply.seq, let calls = reply.bytes(of: "calls") else {
            throw CallsError.internal("the calls.list reply has no seq or calls")
        }
        return .resync(seq: seq, calls: calls)
    }
}
