public import Calls
public import CallsJSON
public import Foundation

/// Reply frames, built by splicing bytes encoded once (a call's JSON is encoded once per change
/// and reused by `calls.get`, `calls.list` and the event).
public enum BusReply {
    /// `{"statusCode":0}`.
    public static let success = Data(#"{"statusCode":0}"#.utf8)

    /// `{"statusCode":0,"id":"..."}`: the success of a request that made a call (contract sections 2 and 5).
    public static func created(callId: String) -> Data {
        Data(#"{"statusCode":0,"id":\#(JSONWriter.quoted(callId))}"#.utf8)
    }

    /// `{"statusCode":0,"deviceSeq":N,"devices":[...]}` around encoded devices.
    public static func devices(deviceSeq: UInt64, _ deviceJSONs: [Data]) -> Data {
        var reply = Data(#"{"statusCode":0,"deviceSeq":\#(deviceSeq),"devices":["#.utf8)
        append(deviceJSONs, to: &reply)
        reply.append(contentsOf: Array("]}".utf8))
        return reply
    }

    /// `{"statusCode":0,"device":{...}}` around an encoded device.
    public static func device(_ deviceJSON: Data) -> Data {
        var reply = Data(#"{"statusCode":0,"device":"#.utf8)
        reply.append(deviceJSON)
        reply.append(UInt8(ascii: "}"))
        return reply
    }

    /// `{"statusCode":0,"user":{...}}` around an encoded user.
    public static func user(_ userJSON: Data) -> Data {
        var reply = Data(#"{"statusCode":0,"user":"#.utf8)
        reply.append(userJSON)
        reply.append(UInt8(ascii: "}"))
        return reply
    }

    /// `{"statusCode":N,"statusMessage":"..."}` for a refusal.
    public static func failure(_ error: CallsError) -> Data {
        Data(#"{"statusCode":\#(error.code.statusCode),"statusMessage":\#(JSONWriter.quoted(error.message))}"#.utf8)
    }

    /// `{"statusCode":0,"call":{...}}` around an encoded call.
    public static func call(_ callJSON: Data) -> Data {
        var reply = Data(#"{"statusCode":0,"call":"#.utf8)
        reply.append(callJSON)
        reply.append(UInt8(ascii: "}"))
        return reply
    }

    /// `{"statusCode":0,"seq":N,"calls":[...]}` around encoded calls.
    public static func calls(seq: UInt64, _ callJSONs: [Data]) -> Data {
        var reply = Data(#"{"statusCode":0,"seq":\#(seq),"calls":["#.utf8)
        append(callJSONs, to: &reply)
        reply.append(contentsOf: Array("]}".utf8))
        return reply
    }

    /// `{"statusCode":0,"events":[...]}` around replayed events (each `{"topic":...,` + body keys),
    /// with `"more":true` when further events are kept after the last one (contract section 11).
    public static func events(_ eventJSONs: [Data], more: Bool = false) -> Data {
        var reply = Data(#"{"statusCode":0,"events":["#.utf8)
        append(eventJSONs, to: &reply)
        reply.append(contentsOf: Array((more ? #"],"more":true}"# : "]}").utf8))
        return reply
    }

    private static func append(_ items: [Data], to reply: inout Data) {
        reply.reserveCapacity(reply.count + items.reduce(0) { $0 + $1.count + 1 } + 2)
        for (index, item) in items.enumerated() {
            if index > 0 { reply.append(UInt8(ascii: ",")) }
            reply.append(item)
        }
    }
}
