package import Calls
import CallsJSON
package import Foundation

/// The stored form of a call: a JSON object with the same keys and values as `Call`'s `Codable`
/// form (`releasedAt` in seconds since 2001, as `JSONEncoder` writes a `Date`), written and read
/// by hand because a restart reads every stored call and `JSONDecoder` would take seconds.
extension Call {
    package init(storage bytes: Data) throws {
        guard case .object(let fields) = try JSONValue(parsing: bytes),
            case .string(let id)? = fields["id"],
            case .string(let deviceId)? = fields["deviceId"],
            let state = fields["state"]?.stringValue.flatMap(CallState.init(rawValue:)),
            let callType = fields["callType"]?.stringValue.flatMap(CallType.init(rawValue:)),
            let mute = fields["mute"]?.stringValue.flatMap(MuteState.init(rawValue:)),
            case .array(let participants)? = fields["participants"]
        else {
            throw CallStoreError(code: .corrupt, message: "a stored call lacks a required field")
        }
        var userData: [String: String] = [:]
        if case .object(let pairs)? = fields["userData"] {
            for (key, value) in pairs {
                guard case .string(let text) = value else { continue }
                userData[key] = text
            }
        }
        let date = { (key: String) -> Date? in
            guard case .number(let seconds)? = fields[key] else { return nil }
            return Date(timeIntervalSinceReferenceDate: seconds)
        }
        self.init(
            id: id,
            deviceId: deviceId,
            state: state,
            callType: callType,
            participants: participants.compactMap(\.stringValue),
            ani: fields["ani"]?.stringValue,
            mute: mute,
            userData: userData,
            releasedAt: date("releasedAt"),
            startTime: date("startTime"),
            connectedTime: date("connectedTime"),
            parentCallId: fields["parentCallId"]?.stringValue,
            consultOrigin: fields["consultOrigin"]?.stringValue.flatMap(ConsultOrigin.init(rawValue:)),
            recordingState: fields["recordingState"]?.stringValue.flatMap(RecordingState.init(rawValue:))
        )
    }

    package var storage: Data {
        var writer = JSONWriter(capacity: 256)
        writer.beginObject()
        if let ani { writer.string(ani, key: "ani") }
        writer.string(callType.rawValue, key: "callType")
        if let connectedTime { writer.number(connectedTime.timeIntervalSinceReferenceDate, key: "connectedTime") }
        if let consultOrigin { writer.string(consultOrigin.rawValue, key: "consultOrigin") }
        writer.string(deviceId, key: "deviceId")
        writer.string(id, key: "id")
        writer.string(mute.rawValue, key: "mute")
        if let parentCallId { writer.string(parentCallId, key: "parentCallId") }
        writer.strings(participants, key: "participants")
        if let recordingState { writer.string(recordingState.rawValue, key: "recordingState") }
        if let releasedAt { writer.number(releasedAt.timeIntervalSinceReferenceDate, key: "releasedAt") }
        if let startTime { writer.number(startTime.timeIntervalSinceReferenceDate, key: "startTime") }
        writer.string(state.rawValue, key: "state")
        writer.beginObject("userData")
        for key in userData.keys.sorted() { writer.string(userData[key]!, key: key) }
        writer.endObject()
        writer.endObject()
        return writer.data
    }
}
