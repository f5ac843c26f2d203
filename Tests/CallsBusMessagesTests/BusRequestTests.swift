import Calls
import CallsBusMessages
import Foundation
import Testing

struct BusRequestTests {
    @Test func decodesOpUserAndFields() throws {
        let request = try BusRequest(frame: Data(#"{"op":"calls.get","user":"admin","id":"c1"}"#.utf8))
        #expect(request.operation == .getCall)
        #expect(request.user == "admin")
        #expect(try request.requiredString("id") == "c1")
        #expect(try request.optionalString("missing") == nil)
        #expect(request.operation.requestKind == .get)
    }

    @Test(arguments: [
        (#"{"user":"admin"}"#, 1),
        (#"{"op":null,"user":"admin"}"#, 1),
        (#"{"op":"calls.nope"}"#, 2),
        (#"{"op":1}"#, 2),
        (#"{"op":"calls.list","user":7}"#, 2),
        ("[]", 2),
        ("nope", 2),
        ("", 2),
    ])
    func refusesMalformedFrames(frame: String, statusCode: Int) {
        let error = #expect(throws: CallsError.self) { try BusRequest(frame: Data(frame.utf8)) }
        #expect(error?.code.statusCode == statusCode)
    }

    @Test func fieldAccessorsTellMissingFromInvalid() throws {
        let request = try BusRequest(frame: Data(#"{"op":"events.replay","user":"a","after":-1,"id":"","n":3}"#.utf8))
        #expect(throws: CallsError.invalidParameter("")) { try request.requiredCount("after") }
        #expect(throws: CallsError.missingParameter("")) { try request.requiredCount("absent") }
        #expect(throws: CallsError.invalidParameter("")) { try request.requiredString("id") }
        #expect(throws: CallsError.invalidParameter("")) { try request.optionalString("n") }
        #expect(try request.requiredCount("n") == 3)
    }

    @Test func encodesWhatItDecodes() throws {
        let request = BusRequest(operation: .listCalls, user: "agent-1001")
        let decoded = try BusRequest(frame: request.encoded())
        #expect(decoded == request)
        #expect(String(decoding: request.encoded(), as: UTF8.self) == #"{"op":"calls.list","user":"agent-1001"}"#)
    }
}
