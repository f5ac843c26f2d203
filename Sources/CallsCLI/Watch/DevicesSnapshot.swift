import Calls
import CallsBusMessages

/// A `devices.list` reply with its devices decoded, for a mirror that a person reads.
struct DevicesSnapshot: Sendable {
    /// The `deviceSeq` of the last device event the snapshot holds.
    var deviceSeq: UInt64
    /// The devices the user may see.
    var devices: [DeviceResource]

    /// A snapshot from its parts.
    init(deviceSeq: UInt64, devices: [DeviceResource]) {
        self.deviceSeq = deviceSeq
        self.devices = devices
    }

    /// Reads a `devices.list` reply.
    /// - Throws: the refusal it carries, or a decoding error.
    init(_ reply: ParsedReply) throws {
        let reply = try reply.checked()
        guard let deviceSeq = reply.wholeNumber("deviceSeq") else {
            throw CallsError.internal("the devices.list reply has no deviceSeq")
        }
        self.deviceSeq = deviceSeq
        devices = try reply.decode([DeviceResource].self, at: "devices")
    }
}
