import Calls
import CallsBusMessages
import CallsJSON
import CallsTesting
import Testing

/// Reading operations from `operationName` and parameters: missing is 1, invalid is 2.
struct CallOperationTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String?
        var parameters: [String: JSONValue] = [:]
        var result: Result<CallOperation, CallsError>
        var testDescription: String {
            "\(name ?? "nil") \(String(describing: parameters).prefix(120))"
        }
    }

    static func ok(_ name: String, _ operation: CallOperation, _ parameters: [String: JSONValue] = [:]) -> Case {
        Case(name: name, parameters: parameters, result: .success(operation))
    }

    /// A refusal whose message must name `mentions`.
    static func refused(
        _ name: String?, _ parameters: [String: JSONValue], _ code: CallsError.Code,
        mentions: String
    ) -> Case {
        Case(name: name, parameters: parameters, result: .failure(CallsError(code: code, message: mentions)))
    }

    static func userData(keys count: Int, prefix: String = "k") -> JSONValue {
        .object(Dictionary(uniqueKeysWithValues: (0..<count).map { ("\(prefix)\($0)", JSONValue.string("v")) }))
    }
    static let key64 = String(repeating: "k", count: 64)
    static let value1024 = String(repeating: "v", count: 1024)
    /// One character on screen, 2,001 Unicode scalars: the limits count scalars.
    static let combining = "e" + String(repeating: "\u{0301}", count: 2000)

    static let digits32 = String(repeating: "9", count: 32)
    static let digits33 = String(repeating: "9", count: 33)

    static let cases: [Case] = [
        refused(nil, [:], .missingParameter, mentions: "operationName"),
        refused("Bogus", [:], .invalidParameter, mentions: "Bogus"),
        refused("hold", [:], .invalidParameter, mentions: "hold"),
        ok("Answer", .answer, ["op": "calls.operate", "user": "agent-1001", "id": "c1"]),
        ok("Hangup", .hangup),
        ok("Hold", .hold),
        ok("Retrieve", .retrieve),
        ok("MuteCall", .muteCall),
        ok("UnmuteCall", .unmuteCall),
        ok("DeleteUserData", .deleteUserData),

        ok("SendDtmf", .sendDtmf(digits: "0123456789*#ABCD"), ["digits": "0123456789*#ABCD"]),
        ok("SendDtmf", .sendDtmf(digits: digits32), ["digits": .string(digits32)]),
        ok("SendDtmf", .sendDtmf(digits: "5"), ["digits": "5"]),
        refused("SendDtmf", [:], .missingParameter, mentions: "digits"),
        refused("SendDtmf", ["digits": nil], .missingParameter, mentions: "digits"),
        refused("SendDtmf", ["digits": .string(digits33)], .invalidParameter, mentions: "digits"),
        refused("SendDtmf", ["digits": ""], .invalidParameter, mentions: "digits"),
        refused("SendDtmf", ["digits": "12a"], .invalidParameter, mentions: "digits"),
        refused("SendDtmf", ["digits": "1 2"], .invalidParameter, mentions: "digits"),
        refused("SendDtmf", ["digits": "١٢"], .invalidParameter, mentions: "digits"),
        refused("SendDtmf", ["digits": 12], .invalidParameter, mentions: "digits"),

        ok("SingleStepTransfer", .singleStepTransfer(phoneNumber: "5002"), ["destination": ["phoneNumber": "5002"]]),
        refused("SingleStepTransfer", [:], .missingParameter, mentions: "destination"),
        refused("SingleStepTransfer", ["destination": "5002"], .invalidParameter, mentions: "destination"),
        refused("SingleStepTransfer", ["destination": [:]], .invalidParameter, mentions: "phoneNumber"),
        refused("SingleStepTransfer", ["destination": ["phoneNumber": ""]], .invalidParameter, mentions: "phoneNumber"),
        refused(
            "SingleStepTransfer", ["destination": ["phoneNumber": 5002]], .invalidParameter, mentions: "phoneNumber"),

        ok("AttachUserData", .attachUserData(["k": "v", "x": ""]), ["userData": ["k": "v", "x": ""]]),
        ok("AttachUserData", .attachUserData([:]), ["userData": [:]]),
        ok("UpdateUserData", .updateUserData(["k": "v"]), ["userData": ["k": "v"]]),
        refused("AttachUserData", [:], .missingParameter, mentions: "userData"),
        refused("UpdateUserData", [:], .missingParameter, mentions: "userData"),
        refused("AttachUserData", ["userData": ["k": 1]], .invalidParameter, mentions: "'k'"),
        refused("UpdateUserData", ["userData": ["k": nil]], .invalidParameter, mentions: "'k'"),
        refused("AttachUserData", ["userData": ["k": ["nested": "v"]]], .invalidParameter, mentions: "'k'"),
        refused("AttachUserData", ["userData": ["k", "v"]], .invalidParameter, mentions: "userData"),

        // Contract section 11: at most 100 keys, a key 1 to 64 characters, a value at most 1,024.
        ok("AttachUserData", .attachUserData([key64: .init(value1024)]), ["userData": [key64: .string(value1024)]]),
        refused("AttachUserData", ["userData": userData(keys: 101)], .invalidParameter, mentions: "at most 100 keys"),
        refused("UpdateUserData", ["userData": [key64 + "k": "v"]], .invalidParameter, mentions: "1 to 64"),
        refused("AttachUserData", ["userData": ["": "v"]], .invalidParameter, mentions: "1 to 64"),
        refused(
            "AttachUserData", ["userData": ["k": .string(value1024 + "v")]], .invalidParameter, mentions: "1024"),
        refused("AttachUserData", ["userData": ["k": .string(combining)]], .invalidParameter, mentions: "2001"),
        refused("DeleteUserDataPair", ["key": .string(key64 + "k")], .invalidParameter, mentions: "1 to 64"),
        refused("DeleteUserDataPair", ["key": ""], .invalidParameter, mentions: "1 to 64"),

        ok("DeleteUserDataPair", .deleteUserDataPair(key: "k"), ["key": "k"]),
        refused("DeleteUserDataPair", [:], .missingParameter, mentions: "key"),
        refused("DeleteUserDataPair", ["key": true], .invalidParameter, mentions: "key"),
    ]

    @Test(arguments: cases)
    func reads(_ testCase: Case) {
        let result = Result { () throws(CallsError) in
            try CallOperation(operationName: testCase.name, parameters: testCase.parameters)
        }
        switch (result, testCase.result) {
        case (.success(let operation), .success(let expected)):
            #expect(operation == expected)
            #expect(operation.name == testCase.name)
            #expect(operation.capability.rawValue == testCase.name)
        case (.failure(let error), .failure(let expected)):
            #expect(error.code == expected.code)
            #expect(error.message.contains(expected.message), "message: \(error.message)")
        default:
            Issue.record("got \(result), expected \(testCase.result)")
        }
    }

    @Test func everyCapabilityIsAnOperationName() {
        for capability in Capability.allCases {
            #expect(capability.rawValue == Fixture.operation(capability).name)
        }
    }
}
