public import Calls
public import CallsJSON
import Foundation

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
        case .singleStepConference: self = .singleStepConference(phoneNumber: try reader.destination())
        case .removeParticipantFromConference:
            self = .removeParticipantFromConference(participant: try reader.string("participant"))
        case .initiateTransfer:
            self = .initiateTransfer(phoneNumber: try reader.destination(), userData: try reader.optionalUserData())
        case .initiateConference:
            self = .initiateConference(phoneNumber: try reader.destination(), userData: try reader.optionalUserData())
        case .completeTransfer: self = .completeTransfer
        case .completeConference: self = .completeConference
        case .swapCalls: self = .swapCalls(otherCallId: try reader.otherCallId())
        case .startCallRecording: self = .startCallRecording
        case .pauseCallRecording: self = .pauseCallRecording
        case .resumeCallRecording: self = .resumeCallRecording
        case .stopCallRecording: self = .stopCallRecording
        case .attachUserData: self = .attachUserData(try reader.userData())
        case .updateUserData: self = .updateUserData(try reader.userData())
        case .deleteUserData: self = .deleteUserData
        case .deleteUserDataPair: self = .deleteUserDataPair(key: try reader.key())
        }
    }

    /// The longest phone number of a `destination`.
    public static let maximumPhoneNumberLength = 32

    /// The phone number of a `destination` parameter (`{"phoneNumber": "..."}`: 1 to 32 characters
    /// of `+0-9*#`, a `+` only first), for `Dial` and the operations that take one.
    /// - Throws: 1 when `destination` is missing, 2 when it breaks the rule.
    public static func destinationPhoneNumber(
        in parameters: [String: JSONValue], operationName: String
    ) throws(CallsError) -> String {
        try Reader(operationName: operationName, parameters: parameters).destination()
    }

    /// A `userData` parameter that may be absent (`Dial`, `Initiate*`): empty when absent.
    /// - Throws: 2 when it is not an object of strings within the limits of contract section 11.
    public static func optionalUserData(
        in parameters: [String: JSONValue], operationName: String
    ) throws(CallsError) -> [String: String] {
        try Reader(operationName: operationName, parameters: parameters).optionalUserData()
    }

    struct Reader {
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
            guard let phoneNumber = object["phoneNumber"]?.stringValue else {
                throw invalid("destination", "must have a string 'phoneNumber'")
            }
            let scalars = Array(phoneNumber.unicodeScalars)
            let isDialable = scalars.enumerated().allSatisfy { index, scalar in
                ("0"..."9").contains(scalar) || scalar == "*" || scalar == "#" || (scalar == "+" && index == 0)
            }
            guard (1...CallOperation.maximumPhoneNumberLength).contains(scalars.count), isDialable else {
                throw invalid(
                    "destination",
                    "phoneNumber must be 1 to \(CallOperation.maximumPhoneNumberLength) characters of +0-9*# "
                        + "(a + only first)")
            }
            return phoneNumber
        }

        func string(_ name: String) throws(CallsError) -> String {
            let value = try required(name)
            guard let string = value.stringValue else {
                throw invalid(name, "must be a string, not \(value.typeName)")
            }
            return string
        }

        func optionalUserData() throws(CallsError) -> [String: String] {
            guard let value = parameters["userData"], value != .null else { return [:] }
            return try userData()
        }

        /// `otherCallUri`: the other call's `uri` (or path) or its bare id; `nil` when absent.
        func otherCallId() throws(CallsError) -> String? {
            guard let value = parameters["otherCallUri"], value != .null else { return nil }
            guard let reference = value.stringValue, !reference.isEmpty else {
                throw invalid("otherCallUri", "must be a call's uri or id")
            }
            guard let marker = reference.range(of: "/calls/", options: .backwards) else { return reference }
            let id = String(reference[marker.upperBound...])
            return id.removingPercentEncoding ?? id
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
