public import Calls
public import CallsJSON

extension CallOperation {
    /// The longest `digits` a `SendDtmf` may carry.
    public static let maximumDigits = 32

    private static let dtmfCharacters = Set("0123456789*#ABCD".unicodeScalars)

    /// Reads an operation from a request's `operationName` and parameters.
    ///
    /// Keys that the operation does not use are ignored, so the whole request object may be passed;
    /// a `null` value counts as missing.
    /// - Parameters:
    ///   - operationName: the GWS operation name, exact case (`Hold`).
    ///   - parameters: the request's other keys.
    /// - Throws: ``CallsError`` with code 1 when `operationName` or a required parameter is missing,
    ///   2 when the name is unknown or a parameter is not valid.
    public init(operationName: String?, parameters: [String: JSONValue]) throws(CallsError) {
        guard let operationName else {
            throw .missingParameter("operationName is missing")
        }
        guard let capability = Capability(rawValue: operationName) else {
            let known = Capability.allCases.map(\.rawValue).joined(separator: ", ")
            throw .invalidParameter("operationName '\(operationName)' is not one of \(known)")
        }
        let reader = Reader(operationName: operationName, parameters: parameters)
        switch capability {
        case .answer: self = .answer
        case .hangup: self = .hangup
        case .hold: self = .hold
        case .retrieve: self = .retrieve
        case .muteCall: self = .muteCall
        case .unmuteCall: self = .unmuteCall
        case .sendDtmf: self = .sendDtmf(digits: try reader.digits())
        case .singleStepTransfer: self = .singleStepTransfer(phoneNumber: try reader.destination())
        case .attachUserData: self = .attachUserData(try reader.userData())
        case .updateUserData: self = .updateUserData(try reader.userData())
        case .deleteUserData: self = .deleteUserData
        case .deleteUserDataPair: self = .deleteUserDataPair(key: try reader.key())
        }
    }

    private struct Reader {
        let operationName: String
        let parameters: [String: JSONValue]

        func required(_ name: String) throws(CallsError) -> JSONValue {
            guard let value = parameters[name], value != .null else {
                throw .missingParameter("\(operationName) needs the parameter '\(name)'")
            }
            return value
        }

        func invalid(_ name: String, _ rule: String) -> CallsError {
            .invalidParameter("\(operationName): parameter '\(name)' \(rule)")
        }

        func digits() throws(CallsError) -> String {
            let value = try required("digits")
            guard let digits = value.stringValue else {
                throw invalid("digits", "must be a string, not \(value.typeName)")
            }
            let scalars = digits.unicodeScalars
            guard (1...CallOperation.maximumDigits).contains(scalars.count) else {
                throw invalid(
                    "digits", "must hold 1 to \(CallOperation.maximumDigits) characters, not \(scalars.count)")
            }
            guard scalars.allSatisfy(CallOperation.dtmfCharacters.contains) else {
                throw invalid("digits", "may hold only 0-9, *, #, A, B, C and D (upper case)")
            }
            return digits
        }

        func destination() throws(CallsError) -> String {
            let value = try required("destination")
            guard let object = value.objectValue else {
                throw invalid("destination", "must be an object like {\"phoneNumber\": \"+14155552671\"}")
            }
            guard let phoneNumber = object["phoneNumber"]?.stringValue, !phoneNumber.isEmpty else {
                throw invalid("destination", "must have a non-empty string 'phoneNumber'")
            }
            return phoneNumber
        }

        func userData() throws(CallsError) -> [String: String] {
            let value = try required("userData")
            guard let object = value.objectValue else {
                throw invalid("userData", "must be an object of strings, not \(value.typeName)")
            }
            guard object.count <= Call.maximumUserDataKeys else {
                throw invalid("userData", "may hold at most \(Call.maximumUserDataKeys) keys, not \(object.count)")
            }
            var pairs: [String: String] = [:]
            for (key, member) in object {
                guard let string = member.stringValue else {
                    throw invalid("userData", "must hold only string values; '\(key)' is \(member.typeName)")
                }
                try checkUserDataKey(key, parameter: "userData")
                guard string.unicodeScalars.count <= Call.maximumUserDataValueLength else {
                    throw invalid(
                        "userData",
                        "values may be at most \(Call.maximumUserDataValueLength) characters; '\(key)' has \(string.unicodeScalars.count)"
                    )
                }
                pairs[key] = string
            }
            return pairs
        }

        func checkUserDataKey(_ key: String, parameter: String) throws(CallsError) {
            guard (1...Call.maximumUserDataKeyLength).contains(key.unicodeScalars.count) else {
                throw invalid(
                    parameter,
                    "keys are 1 to \(Call.maximumUserDataKeyLength) characters; '\(key.prefix(80))' has \(key.unicodeScalars.count)"
                )
            }
        }

        func key() throws(CallsError) -> String {
            let value = try required("key")
            guard let key = value.stringValue else {
                throw invalid("key", "must be a string, not \(value.typeName)")
            }
            try checkUserDataKey(key, parameter: "key")
            return key
        }
    }
}
