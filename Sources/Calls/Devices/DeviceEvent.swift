/// One change of a device, numbered: what the bus publishes on `devices/<ownerId>/<deviceId>`.
public struct DeviceEvent: Sendable, Hashable {
    /// The event's number among device events: from 1, +1 per event, across restarts.
    public var deviceSeq: UInt64
    /// The principal owning the device, or `-`.
    public var ownerId: String
    /// The device after the change.
    public var device: Device

    /// Creates an event.
    public init(deviceSeq: UInt64, ownerId: String, device: Device) {
        self.deviceSeq = deviceSeq
        self.ownerId = ownerId
        self.device = device
    }
}
