public import Calls
public import CallsJSON

extension UserOperation {
    /// The `operationName`s of `users.operate`.
    public static let names = ["StartContactCenterSession", "EndContactCenterSession", "Ready", "NotReady"]

    /// Reads a `users.operate` operation: `operationName`, and for `NotReady` an optional `reason`
    /// of 1 to 64 characters.
    /// - Throws: 1 when `operationName` is missing, 2 when it is unknown or `reason` breaks the rule.
    public init(operationName: String?, parameters: [String: JSONValue]) throws(CallsError) {
        guard let operationName else { throw .missingParameter("operationName is missing") }
        switch operationName {
        case "StartContactCenterSession": self = .startContactCenterSession
        case "EndContactCenterSession": self = .endContactCenterSession
        case "Ready": self = .ready
        case "NotReady":
            switch parameters["reason"] {
            case nil, .null?:
                self = .notReady(reason: nil)
            case .string(let reason)? where (1...AgentState.maximumReasonLength).contains(reason.unicodeScalars.count):
                self = .notReady(reason: reason)
            case let value?:
                throw .invalidParameter(
                    "NotReady: parameter 'reason' must be a string of 1 to \(AgentState.maximumReasonLength) characters"
                        + (value.stringValue == nil ? ", not \(value.typeName)" : ""))
            }
        default:
            throw .invalidParameter(
                "operationName '\(operationName)' is not one of \(Self.names.joined(separator: ", "))")
        }
    }
}

extension DeviceOperation {
    /// Reads a `devices.operate` operation name.
    /// - Throws: 1 when it is missing, 2 when it is not `DoNotDisturbOn` or `DoNotDisturbOff`.
    public init(operationName: String?) throws(CallsError) {
        guard let operationName else { throw .missingParameter("operationName is missing") }
        guard let operation = DeviceOperation(rawValue: operationName) else {
            let names = DeviceOperation.allCases.map(\.rawValue).joined(separator: ", ")
            throw .invalidParameter("operationName '\(operationName)' is not one of \(names)")
        }
        self = operation
    }
}
