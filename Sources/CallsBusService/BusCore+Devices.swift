import Calls
import CallsBusMessages
import CallsStore
import Foundation
import Logging

extension BusCore {
    /// `calls.dial`: the device must be visible to the user (else 6, as for a call), then the
    /// destination and user data must be valid (1, 2).
    func dial(_ request: BusRequest, by principal: Principal) throws(CallsError) -> Data {
        let deviceId = try request.requiredString("deviceId")
        _ = try policy.visibleDevice(devices.device(id: deviceId), id: deviceId, to: principal)
        let phoneNumber = try CallOperation.destinationPhoneNumber(in: request.fields, operationName: "Dial")
        let userData = try CallOperation.optionalUserData(in: request.fields, operationName: "Dial")
        return record(try registry.dial(from: deviceId, to: phoneNumber, userData: userData, at: Date()).get())
    }

    /// `devices.list`, `devices.get`, `devices.operate`, `users.get` and `users.operate`.
    func respondAboutDevices(to request: BusRequest, by principal: Principal) throws(CallsError) -> Data {
        switch request.operation {
        case .listDevices:
            let visible = devices.devices(visibleTo: principal).map(devicePresentation.encodedJSON(for:))
            return BusReply.devices(deviceSeq: devices.deviceSeq, visible)
        case .getDevice:
            let id = try request.requiredString("id")
            return BusReply.device(
                devicePresentation.encodedJSON(
                    for: try policy.visibleDevice(devices.device(id: id), id: id, to: principal)))
        case .operateDevice:
            let id = try request.requiredString("id")
            _ = try policy.visibleDevice(devices.device(id: id), id: id, to: principal)
            let operation = try DeviceOperation(operationName: try request.optionalString("operationName"))
            record(try devices.perform(operation, deviceId: id).get())
            return BusReply.success
        case .getUser:
            return BusReply.user(devicePresentation.encodedUser(principal))
        case .operateUser:
            let operation = try UserOperation(
                operationName: try request.optionalString("operationName"), parameters: request.fields)
            record(try devices.perform(operation, userId: principal.id).get())
            return BusReply.success
        default:
            throw .internal("\(request.operation.rawValue) is not a device request")
        }
    }

    /// Journals device events and queues them for publishing, after the batch commits like calls.
    private func record(_ events: [DeviceEvent]) {
        for event in events {
            pending.batch.append(event)
            pending.events.append(
                Event(
                    topic: EventTopic.topic(ownerId: event.ownerId, deviceId: event.device.id),
                    body: devicePresentation.body(for: event)))
            logger.debug(
                "device changed",
                metadata: [
                    "device.id": "\(event.device.id)", "device.userState": "\(event.device.userState.status.rawValue)",
                    "bus.deviceSeq": "\(event.deviceSeq)",
                ])
        }
    }
}
