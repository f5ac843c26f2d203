import CallsJSON
import Foundation
import Testing

struct JSONValueTests {
    @Test func decodesEveryKind() throws {
        let text = #"{"n": null, "t": true, "f": false, "i": 3, "d": 1.5, "s": "x", "a": [1, "y"], "o": {"k": "v"}}"#
        let value = try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
        let expected: JSONValue = [
            "n": nil, "t": true, "f": false, "i": 3, "d": 1.5, "s": "x", "a": [1, "y"], "o": ["k": "v"],
        ]
        #expect(value == expected)
    }

    @Test(arguments: ["true", "1", "0", "\"1\"", "null", "[]", "{}"])
    func roundTrips(text: String) throws {
        let value = try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
        let again = try JSONDecoder().decode(JSONValue.self, from: JSONEncoder().encode(value))
        #expect(again == value)
    }

    @Test func booleansStayBooleans() throws {
        #expect(try JSONDecoder().decode(JSONValue.self, from: Data("true".utf8)) == .bool(true))
        #expect(try JSONDecoder().decode(JSONValue.self, from: Data("1".utf8)) == .number(1))
    }

    @Test(arguments: [
        (JSONValue.null, "null"), (.bool(true), "boolean"), (.number(1), "number"), (.string("s"), "string"),
        (.array([]), "array"), (.object([:]), "object"),
    ])
    func accessors(value: JSONValue, typeName: String) {
        #expect(value.typeName == typeName)
        #expect((value.stringValue != nil) == (typeName == "string"))
        #expect((value.objectValue != nil) == (typeName == "object"))
    }
}
