import Calls
import CallsBusMessages
import CallsJSON

extension SimulationAction {
    /// The bus request that carries the action.
    /// - Parameter telephonyUser: the Telephony principal that reports switch events.
    func request(telephonyUser: String) -> BusRequest {
        switch self {
        case .telephony(let event):
            return BusRequest(operation: .telephonyEvent, user: telephonyUser, fields: ["event": event.jsonValue])
        case .operation(let user, let callId, let operation):
            var fields = operation.parameters
            fields["id"] = .string(callId)
            fields["operationName"] = .string(operation.name)
            return BusRequest(operation: .operateCall, user: user, fields: fields)
        case .agent(let user, let operation):
            var fields: [String: JSONValue] = ["operationName": .string(operation.name)]
            if case .notReady(let reason?) = operation { fields["reason"] = .string(reason) }
            return BusRequest(operation: .operateUser, user: user, fields: fields)
        }
    }
}
