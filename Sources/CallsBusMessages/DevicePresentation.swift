public import Calls
import CallsJSON
public import Foundation

/// Turns ``Device``s into the contract's JSON device objects (section 8), and device events into
/// their bodies. The single encoder of a device.
public struct DevicePresentation: Sendable {
    /// `DeviceStateChangeMessage`, the `messageType` of every device event.
    public static let deviceStateChange = "DeviceStateChangeMessage"

    /// The base of every `uri`, without a trailing `/`.
    public let publicBaseURL: String

    /// Creates a presentation; trailing `/`s of `publicBaseURL` are dropped.
    public init(publicBaseURL: String) {
        var base = Substring(publicBaseURL)
        while base.hasSuffix("/") { base = base.dropLast() }
        self.publicBaseURL = String(base)
    }

    /// The device's JSON object: keys sorted, the same bytes for the same device.
    public func encodedJSON(for device: Device) -> Data {
        var writer = JSONWriter(capacity: 320)
        write(device, to: &writer)
        return writer.data
    }

    /// `{"deviceSeq":N,"messageType":"DeviceStateChangeMessage","devices":[device]}`.
    public func body(for event: DeviceEvent) -> Data {
        var writer = JSONWriter(capacity: 384)
        writer.beginObject()
        writer.integer(event.deviceSeq, key: "deviceSeq")
        writer.beginArray("devices")
        write(event.device, to: &writer)
        writer.endArray()
        writer.string(Self.deviceStateChange, key: "messageType")
        writer.endObject()
        return writer.data
    }

    private func write(_ device: Device, to writer: inout JSONWriter) {
        let segment = CallPresentation.pathSegment(device.id)
        writer.beginObject()
        writer.strings(device.capabilities.map(\.rawValue), key: "capabilities")
        writer.string("Active", key: "deviceState")
        writer.string(device.doNotDisturb.rawValue, key: "doNotDisturb")
        writer.string(device.id, key: "id")
        writer.string("/devices/\(segment)", key: "path")
        if let phoneNumber = device.phoneNumber { writer.string(phoneNumber, key: "phoneNumber") }
        writer.string("\(publicBaseURL)/api/v2/devices/\(segment)", key: "uri")
        writer.beginObject("userState")
        if let reason = device.userState.reason { writer.string(reason, key: "reason") }
        writer.string(device.userState.status.rawValue, key: "state")
        writer.endObject()
        writer.endObject()
    }

    /// The user object of `users.get` (section 8): `roles` `["ROLE_ADMIN"]` for an admin, else
    /// `["ROLE_AGENT"]`.
    public func encodedUser(_ principal: Principal) -> Data {
        var writer = JSONWriter(capacity: 160)
        writer.beginObject()
        writer.string(principal.id, key: "id")
        writer.string("/me", key: "path")
        writer.strings([principal.role == .contactCenterAdmin ? "ROLE_ADMIN" : "ROLE_AGENT"], key: "roles")
        writer.string("\(publicBaseURL)/api/v2/me", key: "uri")
        writer.string(principal.id, key: "userName")
        writer.endObject()
        return writer.data
    }
}
