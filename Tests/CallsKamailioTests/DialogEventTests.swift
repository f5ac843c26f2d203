import CallsJSON
import CallsKamailio
import Testing

struct DialogEventTests {
    @Test func readsWhatTheShippedConfigurationSends() throws {
        let text =
            #"{"event":"hold","callId":"1-9@h","caller":"5001","callee":"0699","by":"5001","hEntry":1577,"#
            + #""hId":11152,"seq":3,"time":1795977579.62}"#
        let event = try DialogEvent(json: Array(text.utf8))
        #expect(event.kind == .hold)
        #expect(event.key == DialogKey(entry: 1577, id: 11152))
        #expect(
            (event.sipCallId, event.caller, event.callee, event.by, event.seq) == ("1-9@h", "5001", "0699", "5001", 3))
    }

    @Test(arguments: [
        "not json", "[]", #"{"event":"dance","callId":"x","caller":"a","callee":"b","hEntry":1,"hId":2,"seq":1}"#,
        #"{"event":"invite","caller":"a","callee":"b","hEntry":1,"hId":2,"seq":1}"#,
        #"{"event":"invite","callId":"x","caller":"a","callee":"b","hEntry":1,"hId":2,"seq":1.5}"#,
    ])
    func refusesOtherPayloads(_ text: String) {
        #expect(throws: DialogEventError.self) { try DialogEvent(json: Array(text.utf8)) }
    }

    @Test func readsDlgList() throws {
        let text =
            #"[{"h_entry":1045,"h_id":8843,"call-id":"1-4665@127.0.0.1","#
            + #""from_uri":"sip:0612@127.0.0.1:15080","to_uri":"sip:5001@127.0.0.1:15070","state":4,"#
            + #""variables":[{"evseq":"4"},{"held":"1"},{"heldby":"5001"}]},"#
            + #"{"h_entry":1,"h_id":2,"call-id":"old","from_uri":"sip:a@h","to_uri":"sip:b@h","state":5}]"#
        let snapshots = try DialogSnapshot.list(from: try JSONValue(parsing: Array(text.utf8)))
        #expect(
            snapshots == [
                DialogSnapshot(
                    sipCallId: "1-4665@127.0.0.1", key: DialogKey(entry: 1045, id: 8843), caller: "0612",
                    callee: "5001", isConfirmed: true, heldBy: "5001", seq: 4)
            ])
    }
}
