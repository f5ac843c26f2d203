import CallsJSON
import Foundation
import Testing

struct JSONParserTests {
    @Test(arguments: [
        (#"{"op":"calls.list","user":"admin"}"#, JSONValue.object(["op": "calls.list", "user": "admin"])),
        (" [1, -2.5, 3e2, 0, -0.0, 1E-2] ", .array([1, -2.5, 300, 0, 0, 0.01])),
        (#"{"a":{"b":[true,false,null]}}"#, .object(["a": .object(["b": .array([true, false, .null])])])),
        (#""\"\\\/\b\f\n\r\t""#, .string("\"\\/\u{8}\u{C}\n\r\t")),
        (#""\u00e9\u20AC\ud83d\ude00""#, .string("é€😀")),
        (#""é€😀 raw UTF-8""#, .string("é€😀 raw UTF-8")),
        ("{}", .object([:])),
        ("[]", .array([])),
        (#"{"dup":1,"dup":2}"#, .object(["dup": 2])),
        ("12345678901234567168", .number(12_345_678_901_234_567_168)),
    ])
    func readsValidJSON(text: String, expected: JSONValue) throws {
        #expect(try JSONValue(parsing: Data(text.utf8)) == expected)
        #expect(try JSONValue(parsing: Array(text.utf8)) == expected)
    }

    @Test(arguments: [
        "", " ", "{", "}", "[1,]", "{\"a\":1,}", "{'a':1}", "{\"a\" 1}", "tru", "nul", "01", "1.", "-", ".5", "1e",
        "+1", "NaN", "Infinity", "1e999", "\"unterminated", "\"bad \\x escape\"", "\"\\u12\"", "\"\\ud83d\"",
        "\"\\ude00\"", "\"tab\there\"", "[1] 2", "{\"a\":1}}", "\u{FEFF}{}",
    ])
    func refusesInvalidJSON(text: String) {
        #expect(throws: JSONParseError.self) { try JSONValue(parsing: Data(text.utf8)) }
    }

    @Test func refusesInvalidUTF8() {
        let bytes: [UInt8] = Array(#"{"user":""#.utf8) + [0xC3, 0x28] + Array(#""}"#.utf8)
        let error = #expect(throws: JSONParseError.self) { try JSONValue(parsing: bytes) }
        #expect(error?.message.contains("UTF-8") == true)
    }

    @Test func limitsNestingWithoutTouchingTheStack() throws {
        let deep = String(repeating: "[", count: 512) + String(repeating: "]", count: 512)
        #expect(throws: Never.self) { try JSONValue(parsing: Data(deep.utf8)) }
        let tooDeep = String(repeating: "[", count: 513) + String(repeating: "]", count: 513)
        let error = #expect(throws: JSONParseError.self) { try JSONValue(parsing: Data(tooDeep.utf8)) }
        #expect(error?.message.contains("512") == true)
        let hostile = String(repeating: #"{"a":"#, count: 100_000)
        #expect(throws: JSONParseError.self) { try JSONValue(parsing: Data(hostile.utf8)) }
    }

    @Test func agreesWithFoundationOnWhatItWrites() throws {
        let values: [JSONValue] = [
            ["text": "line\nbreak \"quoted\" \\ / \u{1} é 😀", "n": 42, "x": -0.125, "flag": true, "none": .null],
            [["nested": [1, 2, [3]]], [:], []],
        ]
        for value in values {
            var writer = JSONWriter()
            writer.value(value)
            #expect(try JSONValue(parsing: writer.bytes) == value)
            #expect(try JSONDecoder().decode(JSONValue.self, from: writer.data) == value)
        }
    }
}
