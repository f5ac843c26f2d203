import CallsBusMessages
import CallsJSON
import Foundation

/// The REST bodies of `calls.list` and `calls.get`, spliced from the bus's reply bytes: the calls
/// go out as the bus encoded them, and a `fields=` selection keeps whole `"key":value` members of
/// each call, so no call is parsed into values and written again.
enum ReplySplice {
    /// `{"statusCode":0,"calls":[...]}`: the bus's list without its `seq`.
    static func calls(of reply: ParsedReply, selection: FieldSelection) -> Data {
        guard let calls = reply.range(of: "calls") else { return reply.frame }
        var body = Data(#"{"statusCode":0,"calls":"#.utf8)
        if let keys = selection.keys {
            guard let elements = try? JSONMembers.elements(of: reply.frame, in: calls) else { return reply.frame }
            body.reserveCapacity(body.count + calls.count + 2)
            body.append(UInt8(ascii: "["))
            for (index, element) in elements.enumerated() {
                if index > 0 { body.append(UInt8(ascii: ",")) }
                append(element, of: reply.frame, keeping: keys, to: &body)
            }
            body.append(UInt8(ascii: "]"))
        } else {
            body.reserveCapacity(body.count + calls.count + 1)
            body.append(reply.frame[calls])
        }
        body.append(UInt8(ascii: "}"))
        return body
    }

    /// `{"statusCode":0,"call":{...}}`: the bus's reply as it came, or with only the selected keys.
    static func call(of reply: ParsedReply, selection: FieldSelection) -> Data {
        guard let keys = selection.keys, let call = reply.range(of: "call") else { return reply.frame }
        var body = Data(#"{"statusCode":0,"call":"#.utf8)
        append(call, of: reply.frame, keeping: keys, to: &body)
        body.append(UInt8(ascii: "}"))
        return body
    }

    /// Appends the object at `range` with only the members named in `keys`, in the bus's order; a
    /// value that is not an object goes as it is.
    private static func append(_ range: Range<Int>, of frame: Data, keeping keys: Set<String>, to body: inout Data) {
        guard let members = try? JSONMembers(of: frame, in: range) else {
            body.append(frame[range])
            return
        }
        body.append(UInt8(ascii: "{"))
        var isFirst = true
        for member in members.members where keys.contains(member.key) {
            if !isFirst { body.append(UInt8(ascii: ",")) }
            isFirst = false
            body.append(frame[member.start..<member.value.upperBound])
        }
        body.append(UInt8(ascii: "}"))
    }
}
