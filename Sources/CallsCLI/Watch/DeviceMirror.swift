/// A watcher's copy of the devices: a `devices.list` snapshot, then each device event's device.
///
/// Device events are not kept for `events.replay`: a jump in `deviceSeq` means one was missed,
/// and the mirror starts over from `devices.list` (contract section 8).
struct DeviceMirror: Sendable {
    /// A device event body: `{"deviceSeq", "messageType", "devices": [device]}`.
    struct Message: Decodable, Sendable {
        /// The event's number among device events.
        var deviceSeq: UInt64
        /// The changed device (one per event).
        var devices: [DeviceResource]
    }

    /// What an event did to the mirror.
    enum Outcome: Equatable, Sendable {
        /// The snapshot already held it.
        case old
        /// It was the next one and is applied.
        case next
        /// Events before it may have been missed: the mirror must be read again.
        case jump(from: UInt64)
    }

    /// The devices by id.
    private(set) var devices: [String: DeviceResource] = [:]
    /// The `deviceSeq` of the last event the mirror holds.
    private(set) var deviceSeq: UInt64
    /// Device events applied.
    var events = 0
    /// Times a missed event made the watcher read `devices.list` again.
    var rereads = 0

    /// A mirror of a `devices.list` reply.
    init(snapshot: DevicesSnapshot) {
        deviceSeq = snapshot.deviceSeq
        _ = reload(snapshot)
    }

    /// Starts over from a `devices.list` reply.
    /// - Returns: whether the snapshot showed a device other than the mirror held it (a change was missed).
    mutating func reload(_ snapshot: DevicesSnapshot) -> Bool {
        let fresh = Dictionary(snapshot.devices.map { ($0.id, $0) }, uniquingKeysWith: { _, last in last })
        defer {
            devices = fresh
            deviceSeq = max(deviceSeq, snapshot.deviceSeq)
        }
        return fresh != devices
    }

    /// Takes the devices of a `devices.list` reply but keeps ``deviceSeq``: events numbered up to
    /// the reply's may still be on their way, and are then applied and shown as usual.
    mutating func refresh(_ snapshot: DevicesSnapshot) {
        devices = Dictionary(snapshot.devices.map { ($0.id, $0) }, uniquingKeysWith: { _, last in last })
    }

    /// Applies an event's device when it is newer than what the mirror holds.
    ///
    /// A jump in `deviceSeq` is a miss for a subscription to every device; one owner's subscription
    /// also jumps over the other owners' events, and only reading `devices.list` again tells.
    mutating func apply(_ message: Message) -> Outcome {
        guard message.deviceSeq > deviceSeq else { return .old }
        let previous = deviceSeq
        for device in message.devices { devices[device.id] = device }
        deviceSeq = message.deviceSeq
        events += 1
        return message.deviceSeq == previous + 1 ? .next : .jump(from: previous)
    }

    /// The devices sorted by id.
    var sorted: [DeviceResource] {
        devices.values.sorted { $0.id < $1.id }
    }
}
