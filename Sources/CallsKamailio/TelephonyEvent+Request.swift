import Calls
import CallsJSON

extension TelephonyEvent {
    /// The `event` object of a `telephony.event` request, with only the keys that are set.
    var jsonValue: JSONValue {
        var fields: [String: JSONValue] = [
            "type": .string(type.rawValue), "callId": .string(callId), "deviceId": .string(deviceId),
        ]
        if let callType { fields["callType"] = .string(callType.rawValue) }
        if let participants { fields["participants"] = .array(participants.map(JSONValue.string)) }
        if let ani { fields["ani"] = .string(ani) }
        return .object(fields)
    }
}
