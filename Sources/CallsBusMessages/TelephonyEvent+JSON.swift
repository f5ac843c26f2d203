public import Calls
public import CallsJSON

extension TelephonyEvent {
    /// Reads an event from the `event` object of a `telephony.event` request, with messages that name the key.
    /// - Throws: ``CallsError`` with code 1 when `event`, `type`, `callId` or `deviceId` is missing (or `null`),
    ///   then 2 when a key has the wrong type or an unknown name.
    public init(json: JSONValue?) throws(CallsError) {
        guard let json, json != .null else {
            throw .missingParameter("the request needs an 'event' object")
        }
        guard let fields = json.objectValue else {
            throw .invalidParameter("'event' must be an object, not \(json.typeName)")
        }
        for key in ["type", "callId", "deviceId"] where fields[key] == nil || fields[key] == .null {
            throw .missingParameter("the event needs '\(key)'")
        }
        let typeName = try Self.string("type", in: fields, required: true) ?? ""
        guard let type = TelephonyEventType(rawValue: typeName) else {
            let known = TelephonyEventType.allCases.map(\.rawValue).joined(separator: ", ")
            throw .invalidParameter("event type '\(typeName)' is not one of \(known)")
        }
        var callType: CallType?
        if let callTypeName = try Self.string("callType", in: fields, required: false) {
            guard let known = CallType(rawValue: callTypeName) else {
                throw .invalidParameter(
                    "event callType '\(callTypeName)' is not Inbound, Outbound, Internal or Consult")
            }
            callType = known
        }
        var participants: [String]?
        switch fields["participants"] {
        case nil, .null?:
            participants = nil
        case .array(let values)?:
            participants = try values.map { value throws(CallsError) in
                guard let number = value.stringValue else {
                    throw .invalidParameter("event participants must be strings, not \(value.typeName)")
                }
                return number
            }
        case let value?:
            throw .invalidParameter("event participants must be an array of strings, not \(value.typeName)")
        }
        self.init(
            type: type,
            callId: try Self.string("callId", in: fields, required: true) ?? "",
            deviceId: try Self.string("deviceId", in: fields, required: true) ?? "",
            callType: callType,
            participants: participants,
            ani: try Self.string("ani", in: fields, required: false),
            parentCallId: try Self.string("parentCallId", in: fields, required: false)
        )
    }

    private static func string(
        _ key: String,
        in fields: [String: JSONValue],
        required: Bool
    ) throws(CallsError) -> String? {
        switch fields[key] {
        case nil, .null?:
            if required {
                throw .missingParameter("the event needs '\(key)'")
            }
            return nil
        case .string(let string)?:
            return string
        case let value?:
            throw .invalidParameter("event '\(key)' must be a string, not \(value.typeName)")
        }
    }
}
