import Calls
import CallsBusMessages
import CallsJSON
import Foundation
import Testing

struct ParsedReplyTests {
    private func text(_ data: Data?) -> String? {
        data.map { String(decoding: $0, as: UTF8.self) }
    }

    @Test func aListReplyGivesItsStatusSeqAndCallBytes() throws {
        let calls = [Data(#"{"id":"c1","userData":{"k":"}]\"["}}"#.utf8), Data(#"{"id":"c2"}"#.utf8)]
        let reply = ParsedReply(frame: BusReply.calls(seq: 42, calls))
        #expect(reply.statusCode == 0)
        #expect(reply.isSuccess)
        #expect(reply.statusMessage == nil)
        #expect(reply.seq == 42)
        #expect(text(reply.bytes(of: "calls")) == #"[{"id":"c1","userData":{"k":"}]\"["}},{"id":"c2"}]"#)
        let elements = try reply.elements(of: "calls")
        #expect(elements.map { String(decoding: reply.frame[$0], as: UTF8.self) } == calls.map { text($0) })
    }

    @Test func aCallReplyGivesTheCallAsTheBusEncodedIt() throws {
        let reply = ParsedReply(frame: BusReply.call(Data(#"{"id":"c1","state":"Held"}"#.utf8)))
        #expect(text(reply.bytes(of: "call")) == #"{"id":"c1","state":"Held"}"#)
        let call = try #require(try reply.checked().bytes(of: "call"))
        #expect(try JSONValue(parsing: call) == ["id": "c1", "state": "Held"])
    }

    @Test func aRefusalCarriesItsCodeAndMessage() throws {
        let reply = ParsedReply(frame: BusReply.failure(.notFound("no call \"x\"")))
        #expect(reply.statusCode == 6)
        #expect(reply.statusMessage == "no call \"x\"")
        let error = #expect(throws: CallsError.self) { try reply.checked() }
        #expect(error?.code == .notFound)
        #expect(error?.message == "no call \"x\"")
    }

    @Test(arguments: ["", "not json", "[1,2]", #"{"statusCode":"0"}"#, #"{"seq":1}"#, #"{"statusCode":0"#])
    func anUnreadableReplyIsAnInternalRefusal(frame: String) {
        let reply = ParsedReply(frame: Data(frame.utf8))
        #expect(reply.statusCode == 4)
        #expect(reply.statusMessage != nil)
        #expect(String(decoding: reply.frame, as: UTF8.self) == frame)
    }

    @Test func aReplayPageSaysWhetherMoreFollows() {
        #expect(ParsedReply(frame: BusReply.events([], more: true)).flag("more"))
        #expect(!ParsedReply(frame: BusReply.events([])).flag("more"))
        let dialed = ParsedReply(frame: Data(#"{"statusCode":0,"id":"a\u0062c"}"#.utf8))
        #expect(dialed.string("id") == "abc")
    }

    @Test func membersKeepTheirOrderAndAnEscapedKeyIsDecoded() throws {
        let bytes = Data(#" {"b" : [1, {"x":[]}], "a\u0041":"s", "n":-1.5e3 , "t":true} "#.utf8)
        let members = try JSONMembers(of: bytes)
        #expect(members.members.map(\.key) == ["b", "aA", "n", "t"])
        #expect(members.value("b", in: bytes) == [1, ["x": []]])
        #expect(members.value("n", in: bytes) == .number(-1500))
        #expect(members.wholeNumber("n", in: bytes) == nil)
        #expect(members.value("t", in: bytes) == true)
    }

    @Test func anObjectWithoutOneMemberIsTheRestVerbatim() throws {
        let body = Data(#"{"seq":3,"ownerSeq":1,"call":{"id":"c"}}"#.utf8)
        let replayed = EventMessage.replayed(topic: "calls/a/c", body: body)
        let members = try JSONMembers(of: replayed)
        #expect(members.object(in: replayed, without: "topic") == body)
        let last = Data(#"{"a":1,"topic":"t"}"#.utf8)
        #expect(text(try JSONMembers(of: last).object(in: last, without: "topic")) == #"{"a":1}"#)
        let alone = Data(#"{"topic":"t"}"#.utf8)
        #expect(text(try JSONMembers(of: alone).object(in: alone, without: "topic")) == "{}")
    }

    @Test(arguments: [#"{"a":[1,2}"#, #"{"a":"x"#, "{\"a\":\"\u{1}\"}", #"{"a" 1}"#, #"{"a":1,}"#, #"{"a":1} x"#])
    func brokenObjectsAreRefused(text: String) {
        #expect(throws: JSONParseError.self) { try JSONMembers(of: Data(text.utf8)) }
    }

    @Test func theDefaultEndpointsAreTheContracts() {
        #expect(DefaultEndpoint.request == "tcp://127.0.0.1:5555")
        #expect(DefaultEndpoint.events == "tcp://127.0.0.1:5556")
    }
}
