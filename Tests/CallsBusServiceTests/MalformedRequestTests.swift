import Calls
import CallsBusMessages
import CallsJSON
import CallsTesting
import Foundation
import Testing

/// Every request gets exactly one reply, however malformed, and the bus keeps serving.
@Suite(.timeLimit(.minutes(1)))
struct MalformedRequestTests {
    static let inputs: [(name: String, frames: [[UInt8]], expected: Set<Int>)] = [
        ("not JSON", [Array("hello bus".utf8)], [2]),
        ("binary junk", [[0xFF, 0x00, 0xFE, 0x80, 0x01]], [2]),
        ("empty frame", [[]], [2]),
        ("no frame at all", [], [1]),
        ("several frames", [Array(#"{"op":"calls.list","user":"admin"}"#.utf8), Array("{}".utf8)], [2]),
        ("a JSON array", [Array("[1,2,3]".utf8)], [2]),
        ("a JSON string", [Array(#""calls.list""#.utf8)], [2]),
        ("no op", [Array(#"{"user":"admin"}"#.utf8)], [1]),
        ("unknown op", [Array(#"{"op":"calls.delete","user":"admin"}"#.utf8)], [2]),
        ("op of the wrong type", [Array(#"{"op":42,"user":"admin"}"#.utf8)], [2]),
        ("user of the wrong type", [Array(#"{"op":"calls.list","user":["admin"]}"#.utf8)], [2]),
        ("id of the wrong type", [Array(#"{"op":"calls.get","user":"admin","id":7}"#.utf8)], [2]),
        ("missing id", [Array(#"{"op":"calls.get","user":"admin"}"#.utf8)], [1]),
        ("negative after", [Array(#"{"op":"events.replay","user":"admin","after":-1}"#.utf8)], [2]),
        ("fractional after", [Array(#"{"op":"events.replay","user":"admin","after":1.5}"#.utf8)], [2]),
        ("event not an object", [Array(#"{"op":"telephony.event","user":"switch-1","event":"Ringing"}"#.utf8)], [2]),
        (
            "event without callId",
            [Array(#"{"op":"telephony.event","user":"switch-1","event":{"type":"Ringing","deviceId":"d"}}"#.utf8)], [1]
        ),
        (
            "100 KB string",
            [
                Array(#"{"op":"calls.get","user":"admin","id":""#.utf8)
                    + Array(repeating: UInt8(ascii: "x"), count: 100_000) + Array(#""}"#.utf8)
            ], [6]
        ),
        (
            "10,000-level nesting",
            [Array(repeating: UInt8(ascii: "["), count: 10_000) + Array(repeating: UInt8(ascii: "]"), count: 10_000)],
            [2]
        ),
        (
            "10,000-level object nesting",
            [
                Array(String(repeating: #"{"a":"#, count: 10_000).utf8)
                    + Array(repeating: UInt8(ascii: "}"), count: 10_000)
            ], [2]
        ),
        ("truncated JSON", [Array(#"{"op":"calls.list","user":"adm"#.utf8)], [2]),
        (
            "invalid UTF-8 in a string",
            [Array(#"{"op":"calls.list","user":""#.utf8) + [0xC3, 0x28] + Array(#""}"#.utf8)], [2, 20]
        ),
    ]

    @Test(arguments: inputs)
    func getsOneReplyAndTheBusStillWorks(name: String, frames: [[UInt8]], expected: Set<Int>) async throws {
        try await TestBus.run { bus in
            try await bus.withClient { client in
                let reply = try client.send(frames: frames)
                #expect(expected.contains(reply.statusCode ?? -1), "\(name): \(reply)")
                #expect(reply["statusMessage"]?.stringValue?.isEmpty == false)
                let normal = try client.request(.listCalls, user: TestDirectory.admin)
                #expect(normal.statusCode == 0)
            }
        }
    }

    /// The bus keeps two body frames of a request at most and releases the rest unread, yet
    /// still says how many there were.
    @Test func aRequestOfManyFramesIsRefusedNamingItsFrameCount() async throws {
        try await TestBus.run { bus in
            try await bus.withClient { client in
                let frames = [Array(#"{"op":"calls.list","user":"admin"}"#.utf8)] + Array(repeating: [0x78], count: 47)
                let reply = try client.send(frames: frames)
                #expect(reply.statusCode == 2)
                #expect(reply["statusMessage"]?.stringValue == "a request is exactly one frame of JSON, not 48")
            }
        }
    }

    @Test func manyBadRequestsInARowEachGetOneReply() async throws {
        try await TestBus.run { bus in
            try await bus.withClient { client in
                for input in Self.inputs {
                    _ = try client.send(frames: input.frames)
                }
                #expect(try client.request(.listCalls, user: TestDirectory.admin).statusCode == 0)
            }
        }
    }
}
