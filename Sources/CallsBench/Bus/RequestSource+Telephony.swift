import CallsLoad

/// Telephony-event loads, whose fixtures (devices, caller numbers, the switch) belong to the benchmarks.
extension RequestSource {
    /// Telephony events that create call `<prefix><client>-<k>` (`Ringing`, with a caller number)
    /// and answer it (`Established`) in turn: every event is accepted and published.
    static func ringAndAnswer(prefix: String) -> RequestSource {
        RequestSource(warmUp: getFrame(id: "none", user: BenchFixtures.telephony)) { client, n in
            let index = n / 2
            let callId = "\(prefix)\(client)-\(index)"
            return telephonyFrame(callId: callId, index: index, isRinging: n % 2 == 0)
        }
    }

    /// Telephony events that each create a new call `<prefix><n>`: one event per call, so that a
    /// subscriber can tell from the topic which request caused an event.
    static func newCalls(prefix: String) -> RequestSource {
        RequestSource(warmUp: getFrame(id: "none", user: BenchFixtures.telephony)) { _, n in
            telephonyFrame(callId: "\(prefix)\(n)", index: n, isRinging: true)
        }
    }

    private static func telephonyFrame(callId: String, index: Int, isRinging: Bool) -> [UInt8] {
        let device = BenchFixtures.device(forCall: index)
        let event: String
        if isRinging {
            let number = BenchFixtures.callerNumber(forCall: index)
            event =
                #"{"type":"Ringing","callId":"\#(callId)","deviceId":"\#(device)","callType":"Inbound","#
                + #""participants":["\#(number)"],"ani":"\#(number)"}"#
        } else {
            event = #"{"type":"Established","callId":"\#(callId)","deviceId":"\#(device)"}"#
        }
        return Array(#"{"op":"telephony.event","user":"\#(BenchFixtures.telephony)","event":\#(event)}"#.utf8)
    }
}
