import CallsBusMessages
public import Foundation

/// Device events as the bus publishes them, for every device, in the order they arrive.
///
/// Device events have their own `deviceSeq` and no replay (contract section 5): a subscriber that
/// misses one re-reads `devices.list`. So this stream does not repair a gap, it reports it
/// (``DeviceStreamItem/gap(afterDeviceSeq:beforeDeviceSeq:)``) before the event that revealed it,
/// and drops an event it has already handed out. Iterate it once.
public struct DeviceEventStream: AsyncSequence, Sendable {
    public typealias Element = DeviceStreamItem

    let raw: AsyncStream<RawEvent>
    let after: UInt64?

    public func makeAsyncIterator() -> Iterator {
        Iterator(raw: raw.makeAsyncIterator(), lastDeviceSeq: after)
    }

    /// Pulls device events from the subscription and checks their `deviceSeq`.
    public struct Iterator: AsyncIteratorProtocol {
        var raw: AsyncStream<RawEvent>.Iterator
        var lastDeviceSeq: UInt64?
        private var waiting: DeviceEvent?

        init(raw: AsyncStream<RawEvent>.Iterator, lastDeviceSeq: UInt64?) {
            self.raw = raw
            self.lastDeviceSeq = lastDeviceSeq
        }

        public mutating func next() async -> DeviceStreamItem? {
            if let event = waiting {
                waiting = nil
                return .event(event)
            }
            while let item = await raw.next() {
                guard case .published(let topic, let body) = item, let event = DeviceEvent(topic: topic, body: body)
                else { continue }
                let last = lastDeviceSeq
                if let last, event.deviceSeq <= last { continue }
                lastDeviceSeq = event.deviceSeq
                if let last, event.deviceSeq > last + 1 {
                    waiting = event
                    return .gap(afterDeviceSeq: last, beforeDeviceSeq: event.deviceSeq)
                }
                return .event(event)
            }
            return nil
        }
    }
}

/// What a device event subscription yields.
public enum DeviceStreamItem: Sendable {
    /// A device event.
    case event(DeviceEvent)
    /// Device events after `afterDeviceSeq` were missed (the next one has `beforeDeviceSeq`): re-read
    /// `devices.list` for the state they carried.
    case gap(afterDeviceSeq: UInt64, beforeDeviceSeq: UInt64)
}

/// One device event: `{"deviceSeq","messageType":"DeviceStateChangeMessage","devices":[device]}`.
public struct DeviceEvent: Sendable {
    /// The principal owning the device, as the topic names it (`-` for none).
    public var ownerId: String
    /// The device the event is about.
    public var deviceId: String
    /// The device events' own sequence number.
    public var deviceSeq: UInt64
    /// The body JSON as the bus published it.
    public var body: Data

    /// Reads a `devices/<ownerId>/<deviceId>` event; `nil` for another topic or a body without `deviceSeq`.
    init?(topic: String, body: Data) {
        guard topic.hasPrefix(EventTopic.allDevices) else { return nil }
        let rest = topic.dropFirst(EventTopic.allDevices.count)
        guard let slash = rest.firstIndex(of: "/"), slash != rest.startIndex, rest.index(after: slash) != rest.endIndex,
            let members = try? JSONMembers(of: body), let deviceSeq = members.wholeNumber("deviceSeq", in: body)
        else { return nil }
        ownerId = String(rest[..<slash])
        deviceId = String(rest[rest.index(after: slash)...])
        self.deviceSeq = deviceSeq
        self.body = body
    }
}

extension CallsBusClient {
    /// Subscribes to every device event (topic `devices/`) and returns them as they arrive, each
    /// with its owner, reporting a jump in `deviceSeq` as a gap. The subscription is made before this
    /// returns; like every PUB/SUB subscription it takes a moment to reach the bus.
    /// - Parameter after: the `deviceSeq` the caller already holds (a `devices.list` reply's), so
    ///   that a first event beyond the next one is reported as a gap; `nil` to check from the first event on.
    public func deviceEvents(after: UInt64? = nil) -> DeviceEventStream {
        DeviceEventStream(raw: rawEvents(prefix: EventTopic.allDevices), after: after)
    }
}
