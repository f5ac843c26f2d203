/// Topic frames of published events: `calls/<ownerId>/<callId>` and `devices/<ownerId>/<deviceId>`.
public enum EventTopic {
    /// The prefix of every device event.
    public static let allDevices = "devices/"

    /// The topic of one event of `deviceId`, which `ownerId` owns.
    public static func topic(ownerId: String, deviceId: String) -> String { "devices/\(ownerId)/\(deviceId)" }

    /// The prefix of one owner's device events: `devices/<ownerId>/`.
    public static func devicePrefix(ownerId: String) -> String { "devices/\(ownerId)/" }

    /// The prefix of every event; subscribe to it for all calls.
    public static let allCalls = "calls/"

    /// The prefix of one owner's events: `calls/<ownerId>/`.
    public static func prefix(ownerId: String) -> String { "calls/\(ownerId)/" }

    /// The topic of one event of `callId`, whose device `ownerId` owns (`-` for none).
    public static func topic(ownerId: String, callId: String) -> String { "calls/\(ownerId)/\(callId)" }

    /// The owner id a topic names: the segment after `calls/` up to the next `/`. Owner ids hold no
    /// `/` (the directory refuses them, contract section 11), while call ids may, so this is the
    /// one unambiguous reading; `nil` for a topic of another shape.
    public static func ownerId(of topic: some StringProtocol) -> Substring? {
        guard topic.hasPrefix(allCalls) else { return nil }
        let rest = topic.dropFirst(allCalls.count)
        guard let slash = rest.firstIndex(of: "/"), slash != rest.startIndex, rest.index(after: slash) != rest.endIndex
        else { return nil }
        return Substring(rest[..<slash])
    }
}
