public import Calls

/// The status part of every reply: enough to tell success from a refusal.
public struct ReplyStatus: Sendable, Hashable, Decodable {
    /// 0 for success, else the contract's status code.
    public var statusCode: Int
    /// A sentence for a person, on refusals.
    public var statusMessage: String?

    /// The refusal as an error; `nil` for success.
    public var error: CallsError? {
        guard statusCode != 0 else { return nil }
        let code = CallsError.Code(statusCode: statusCode) ?? .internal
        return CallsError(code: code, message: statusMessage ?? "the bus refused the request (\(statusCode))")
    }
}

/// The reply to `calls.list`.
public struct CallsListReply: Sendable, Hashable, Decodable {
    /// The `seq` of the last event applied to this snapshot.
    public var seq: UInt64
    /// Every call the user may see.
    public var calls: [CallResource]
}

/// The reply to `calls.get`.
public struct CallReply: Sendable, Hashable, Decodable {
    /// The call.
    public var call: CallResource
}

/// The reply to `events.replay`.
public struct EventsReplayReply: Sendable, Hashable, Decodable {
    /// The kept events after the requested `seq`, oldest first, each with its `topic`: at most
    /// 10,000 (one page).
    public var events: [EventMessage]
    /// `true` when more events are kept after the last one: ask again with `after` = its `seq`.
    public var more: Bool?

    /// Whether another page follows.
    public var hasMore: Bool { more == true }
}
