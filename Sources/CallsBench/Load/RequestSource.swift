/// What the clients of a load send: a warm-up frame, and the `n`-th request frame of client `c`.
///
/// A pure function rather than shared iterators, so that client threads share nothing mutable.
struct RequestSource: Sendable {
    /// A request that changes nothing (no event), sent before measuring to set up the connection.
    var warmUp: [UInt8]
    /// The frame of a client's `n`-th measured request.
    var frame: @Sendable (_ client: Int, _ n: Int) -> [UInt8]

    /// `calls.get` as `user` (the fixtures' admin by default) for uniformly random ids among
    /// `callIds`, pre-encoded.
    static func randomGets(of callIds: [String], user: String = BenchFixtures.admin) -> RequestSource {
        let frames = callIds.map { getFrame(id: $0, user: user) }
        return RequestSource(warmUp: frames[0]) { client, n in
            frames[Int(BenchFixtures.mix(UInt64(client) << 40 | UInt64(n)) % UInt64(frames.count))]
        }
    }

    /// The `calls.get` request frame for `id` as `user`.
    static func getFrame(id: String, user: String) -> [UInt8] {
        Array(#"{"op":"calls.get","user":"\#(user)","id":"\#(id)"}"#.utf8)
    }

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
