import Calls
import CallsBusMessages
import CallsJSON
import Foundation
import Testing

struct TelephonyEventTests {
    static let contractExample = #"""
        {"type":"Ringing","callId":"c-1","deviceId":"dev-1001","callType":"Inbound",
         "participants":["+14155552671"],"ani":"+14155552671"}
        """#

    @Test func decodesTheContractExample() throws {
        let event = try JSONDecoder().decode(TelephonyEvent.self, from: Data(Self.contractExample.utf8))
        let expected = TelephonyEvent(
            type: .ringing, callId: "c-1", deviceId: "dev-1001", callType: .inbound,
            participants: ["+14155552671"], ani: "+14155552671"
        )
        #expect(event == expected)
        let json = try JSONDecoder().decode(JSONValue.self, from: Data(Self.contractExample.utf8))
        #expect(try TelephonyEvent(json: json) == expected)
    }

    @Test func optionalKeysMayBeAbsent() throws {
        let text = #"{"type":"Held","callId":"c-1","deviceId":"dev-1001"}"#
        let event = try JSONDecoder().decode(TelephonyEvent.self, from: Data(text.utf8))
        #expect(event == TelephonyEvent(type: .held, callId: "c-1", deviceId: "dev-1001"))
        #expect(try TelephonyEvent(json: JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))) == event)
    }

    @Test(
        arguments: [
            (JSONValue?.none, 1, "event"),
            (JSONValue.string("x"), 2, "object"),
            (["callId": "c", "deviceId": "d"], 1, "type"),
            (["type": "Bogus", "deviceId": "d"], 1, "callId"),
            (["type": "Bogus", "callId": "c", "deviceId": "d"], 2, "Bogus"),
            (["type": "Held", "callId": 5, "deviceId": "d"], 2, "callId"),
            (["type": "Ringing", "callId": "c", "deviceId": "d", "callType": "Conference"], 2, "Conference"),
            (["type": "Ringing", "callId": "c", "deviceId": "d", "participants": "+1"], 2, "participants"),
            (["type": "Ringing", "callId": "c", "deviceId": "d", "participants": [1]], 2, "participants"),
            (["type": "Ringing", "callId": "c", "deviceId": "d", "ani": 5001], 2, "ani"),
        ] as [(JSONValue?, Int, String)])
    func refusesMalformedEvents(json: JSONValue?, statusCode: Int, mentions: String) {
        #expect {
            try TelephonyEvent(json: json)
        } throws: { error in
            guard let error = error as? CallsError else { return false }
            return error.code.statusCode == statusCode && error.message.contains(mentions)
        }
    }

    @Test(arguments: TelephonyEventType.allCases)
    func onlyRingingAndDialingCreate(type: TelephonyEventType) {
        #expect(type.isCreating == [.ringing, .dialing].contains(type))
    }
}
