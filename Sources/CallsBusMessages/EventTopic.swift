/// Topic frames of published events: `calls/<ownerId>/<callId>`.
public enum EventTopic {
    /// The prefix of every event; subscribe to it for all calls.
    public static let allCalls = "calls/"

    /// The prefix of one owner's events: `calls/<ownerId>/`.
    public static func prefix(ownerId: String) -> String { "calls/\(ownerId)/" }

    /// The topic of one event of `callId`, whose device `ownerId` owns (`-` for none).
    public static func topic(ownerId: String, callId: String) -> String { "calls/\(ownerId)/\(callId)" }
}
