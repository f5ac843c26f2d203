import Calls
import CallsBusMessages
import CallsBusService
import CallsJSON
import CallsTesting

extension TestBus {
    /// The options that point `calls` at this bus.
    var endpointArguments: [String] {
        ["--request-endpoint", endpoints.request, "--events-endpoint", endpoints.events]
    }

    /// Reports one telephony event as the switch and returns the reply's status code.
    @discardableResult
    func report(
        _ type: String, callId: String, deviceId: String, participants: [String]? = nil, ani: String? = nil
    ) async throws -> Int? {
        var event: [String: JSONValue] = [
            "type": .string(type), "callId": .string(callId), "deviceId": .string(deviceId),
        ]
        if let participants { event["participants"] = .array(participants.map(JSONValue.string)) }
        if let ani { event["ani"] = .string(ani) }
        let request: [String: JSONValue] = ["event": .object(event)]
        return try await withClient { client in
            try client.request(.telephonyEvent, user: TestDirectory.telephony, request).statusCode
        }
    }

    /// The bus's `calls.list` for `user`: each call's id and state, sorted by id.
    func listedStates(user: String = TestDirectory.admin) async throws -> [String] {
        try await withClient { client in
            let reply = try client.request(.listCalls, user: user)
            return (reply["calls"]?.arrayValue ?? []).map { call in
                "\(call["id"]?.stringValue ?? "?") \(call["state"]?.stringValue ?? "?")"
            }
            .sorted()
        }
    }
}
