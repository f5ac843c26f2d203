import Calls
import CallsBusMessages
import CallsJSON
import CallsTesting

/// Telephony events and requests as a switch adapter and clients send them.
enum Events {
    static func telephony(
        _ type: String,
        callId: String,
        deviceId: String,
        participants: [String]? = nil,
        ani: String? = nil,
        callType: String? = nil
    ) -> [String: JSONValue] {
        var event: [String: JSONValue] = [
            "type": .string(type), "callId": .string(callId), "deviceId": .string(deviceId),
        ]
        if let participants { event["participants"] = .array(participants.map(JSONValue.string)) }
        if let ani { event["ani"] = .string(ani) }
        if let callType { event["callType"] = .string(callType) }
        return ["event": .object(event)]
    }

    /// Reports `type` for `callId` as the switch and returns the reply.
    @discardableResult
    static func report(
        _ client: BusTestClient,
        _ type: String,
        callId: String,
        deviceId: String,
        participants: [String]? = nil
    ) throws -> JSONValue {
        try client.request(
            .telephonyEvent,
            user: TestDirectory.telephony,
            telephony(type, callId: callId, deviceId: deviceId, participants: participants)
        )
    }

    /// Operates `callId` as `user` and returns the reply.
    @discardableResult
    static func operate(
        _ client: BusTestClient,
        _ operationName: String,
        callId: String,
        user: String,
        _ parameters: [String: JSONValue] = [:]
    ) throws -> JSONValue {
        var fields = parameters
        fields["id"] = .string(callId)
        fields["operationName"] = .string(operationName)
        return try client.request(.operateCall, user: user, fields)
    }
}
