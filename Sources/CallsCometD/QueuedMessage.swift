import Foundation

/// One message waiting for a session's next connect: a channel and its `data`, already JSON.
struct QueuedMessage: Sendable {
    /// The channel the client receives it on.
    var channel: String
    /// The `data` JSON, as the bus published it (shared by every session it reaches).
    var data: Data
    /// The call event's `seq`, or a resync's; `nil` for device messages.
    var callSeq: UInt64?

    /// A call event.
    static func call(seq: UInt64, body: Data) -> QueuedMessage {
        QueuedMessage(channel: NotificationChannel.calls, data: body, callSeq: seq)
    }

    /// A device event, or a snapshot of the user's devices.
    static func device(body: Data) -> QueuedMessage {
        QueuedMessage(channel: NotificationChannel.devices, data: body, callSeq: nil)
    }

    /// `{"messageType":"Resync","seq":N,"calls":[...]}` from a `calls.list` reply's `seq` and `calls` bytes.
    static func resync(seq: UInt64, calls: Data) -> QueuedMessage {
        var data = Data(#"{"messageType":"Resync","seq":\#(seq),"calls":"#.utf8)
        data.append(calls)
        data.append(UInt8(ascii: "}"))
        return QueuedMessage(channel: NotificationChannel.calls, data: data, callSeq: seq)
    }

    /// `{"deviceSeq":N,"messageType":"DeviceStateChangeMessage","devices":[...]}` from a `devices.list`
    /// reply: the state of every device the user sees, after device events were missed.
    static func devices(deviceSeq: UInt64, devices: Data) -> QueuedMessage {
        var data = Data(#"{"deviceSeq":\#(deviceSeq),"messageType":"DeviceStateChangeMessage","devices":"#.utf8)
        data.append(devices)
        data.append(UInt8(ascii: "}"))
        return .device(body: data)
    }
}
