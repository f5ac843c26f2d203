public import CallsBusMessages
public import Foundation

/// What a device-event subscription yields.
public enum DeviceTopicItem: Sendable {
    /// A device event as published: its topic (`devices/<ownerId>/<deviceId>`) and its body
    /// (`{"deviceSeq", "messageType": "DeviceStateChangeMessage", "devices": [device]}`).
    case event(topic: String, body: Data)
    /// The subscription has had time to reach the bus: an event published before that may have
    /// been missed, so a subscriber re-reads `devices.list` and compares its `deviceSeq`.
    case joinCheck
}

/// Device events under one topic prefix (one owner's, or all), as the bus published them, with a
/// join check once the subscription has had time to reach the bus: the raw material for a
/// subscriber that keeps its own mirror (`calls watch`). ``DeviceEventStream`` is the decoded,
/// gap-checking stream of every device's events (the gateway's CometD fan-out).
///
/// Device events are not kept for `events.replay` (contract section 8): this stream repairs
/// nothing. A subscriber tells a gap by a jump in `deviceSeq` and re-reads `devices.list`.
/// Iterate it once; stopping the iteration ends the subscription.
public struct DeviceTopicStream: AsyncSequence, Sendable {
    public typealias Element = DeviceTopicItem

    let raw: AsyncStream<RawEvent>

    public func makeAsyncIterator() -> Iterator {
        Iterator(raw: raw.makeAsyncIterator())
    }

    /// Pulls the next published device event or join check.
    public struct Iterator: AsyncIteratorProtocol {
        var raw: AsyncStream<RawEvent>.Iterator

        public mutating func next() async -> DeviceTopicItem? {
            switch await raw.next() {
            case nil: nil
            case .joinCheck: .joinCheck
            case .published(let topic, let body): .event(topic: topic, body: body)
            }
        }
    }
}

extension CallsBusClient {
    /// Subscribes to the device events under `prefix`, from now on.
    /// - Parameter prefix: ``CallsBusMessages/EventTopic/allDevices`` for every device, or
    ///   ``CallsBusMessages/EventTopic/devicePrefix(ownerId:)`` for one owner's.
    public func deviceTopicEvents(prefix: String = EventTopic.allDevices) -> DeviceTopicStream {
        DeviceTopicStream(raw: rawEvents(prefix: prefix))
    }
}
