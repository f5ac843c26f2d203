import Calls
import CallsBusMessages
import Foundation
import Testing

struct BusReplyTests {
    private func object(_ data: Data) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    @Test func successAndFailureHaveTheGWSEnvelope() throws {
        #expect(String(decoding: BusReply.success, as: UTF8.self) == #"{"statusCode":0}"#)
        let failure = try object(BusReply.failure(.notFound("call \"x\"\n not found")))
        #expect(failure["statusCode"] as? Int == 6)
        #expect(failure["statusMessage"] as? String == "call \"x\"\n not found")
    }

    @Test func aChangeThatMadeACallRepliesWithItsId() {
        #expect(
            String(decoding: BusReply.created(callId: #"c-"1""#), as: UTF8.self) == #"{"statusCode":0,"id":"c-\"1\""}"#)
    }

    @Test func repliesSpliceEncodedCalls() throws {
        let call = Data(#"{"id":"c1"}"#.utf8)
        #expect(String(decoding: BusReply.call(call), as: UTF8.self) == #"{"statusCode":0,"call":{"id":"c1"}}"#)
        let list = String(decoding: BusReply.calls(seq: 9, [call, call]), as: UTF8.self)
        #expect(list == #"{"statusCode":0,"seq":9,"calls":[{"id":"c1"},{"id":"c1"}]}"#)
        #expect(String(decoding: BusReply.calls(seq: 0, []), as: UTF8.self) == #"{"statusCode":0,"seq":0,"calls":[]}"#)
        #expect(String(decoding: BusReply.events([]), as: UTF8.self) == #"{"statusCode":0,"events":[]}"#)
    }

    @Test func eventBodiesDecodeAsEventMessages() throws {
        let call = Call(id: "c1", deviceId: "dev-1", state: .established, callType: .inbound)
        let presentation = CallPresentation(publicBaseURL: "http://gw", participantInfo: { _ in nil })
        let event = CallEvent(
            seq: 7, ownerSeq: 3, ownerId: "agent-1", notification: .dtmfSent, call: call, digits: "1#")
        let body = EventMessage.body(for: event, callJSON: presentation.encodedJSON(for: call))
        let message = try JSONDecoder().decode(EventMessage.self, from: body)
        #expect(message.seq == 7)
        #expect(message.ownerSeq == 3)
        #expect(message.messageType == "CallStateChangeMessage")
        #expect(message.notificationType == .dtmfSent)
        #expect(message.digits == "1#")
        #expect(message.call == presentation.resource(for: call))
        #expect(message.topic == nil)

        let replayed = EventMessage.replayed(topic: EventTopic.topic(ownerId: "agent-1", callId: "c1"), body: body)
        let again = try JSONDecoder().decode(EventMessage.self, from: replayed)
        #expect(again.topic == "calls/agent-1/c1")
        #expect(again.seq == 7)
    }

    @Test func topicsNameOwnerAndCall() {
        #expect(EventTopic.allCalls == "calls/")
        #expect(EventTopic.prefix(ownerId: "agent-1") == "calls/agent-1/")
        #expect(EventTopic.ownerId(of: "calls/agent-1/c1") == "agent-1")
        #expect(EventTopic.ownerId(of: "calls/ag/x/123") == "ag", "a call id may hold '/', an owner id never")
        #expect(EventTopic.ownerId(of: "calls/-/c1") == "-")
        for malformed in ["calls/", "calls//c1", "calls/agent-1/", "calls/agent-1", "devices/a/b", ""] {
            #expect(EventTopic.ownerId(of: malformed) == nil, "\(malformed)")
        }
        #expect(EventTopic.topic(ownerId: "-", callId: "c9") == "calls/-/c9")
        #expect(EventTopic.topic(ownerId: "a", callId: "c").hasPrefix(EventTopic.prefix(ownerId: "a")))
    }
}
