import CallsBusMessages
import CallsJSON
import Foundation

/// The REST bodies of `calls.list`, `calls.get`, `devices.list` and `devices.get`, spliced from the
/// bus's reply bytes: the objects go out as the bus encoded them, and a `fields=` selection keeps
/// whole `"key":value` members of each, so no call or device is parsed into values and written again.
enum ReplySplice {
    /// `{"statusCode":0,"calls":[...]}`: the bus's list without its `seq`.
    static func calls(of reply: ParsedReply, selection: FieldSelection) -> Data {
        list("calls", of: reply, selection: selection)
    }

    /// `{"statusCode":0,"call":{...}}`: the bus's reply as it came, or with only the selected keys.
    static func call(of reply: ParsedReply, selection: FieldSelection) -> Data {
        one("call", of: reply, selection: selection)
    }

    /// `{"statusCode":0,"devices":[...]}`: the bus's list without its `deviceSeq`, and when `ids` is
    /// given, only the devices whose `id` is one of them.
    static func devices(of reply: ParsedReply, selection: FieldSelection, onlyIds ids: Set<String>? = nil) -> Data {
        list("devices", of: reply, selection: selection, onlyIds: ids)
    }

    /// `{"statusCode":0,"device":{...}}`: the bus's reply as it came, or with only the selected keys.
    static func device(of reply: ParsedReply, selection: FieldSelection) -> Data {
        one("device", of: reply, selection: selection)
    }

    private static func list(
        _ key: String, of reply: ParsedReply, selection: FieldSelection, onlyIds ids: Set<String>? = nil
    ) -> Data {
        guard let array = reply.range(of: key) else { return reply.frame }
        var body = Data(#"{"statusCode":0,""#.utf8)
        body.append(contentsOf: key.utf8)
        body.append(contentsOf: #"":"#.utf8)
        guard selection.keys != nil || ids != nil else {
            body.reserveCapacity(body.count + array.count + 1)
            body.append(reply.frame[array])
            body.append(UInt8(ascii: "}"))
            return body
        }
        guard let elements = try? JSONMembers.elements(of: reply.frame, in: array) else { return reply.frame }
        body.reserveCapacity(body.count + array.count + 2)
        body.append(UInt8(ascii: "["))
        var isFirst = true
        for element in elements {
            let members = try? JSONMembers(of: reply.frame, in: element)
            if let ids, members?.value("id", in: reply.frame)?.stringValue.map(ids.contains) != true { continue }
            if !isFirst { body.append(UInt8(ascii: ",")) }
            isFirst = false
            append(element, members: members, of: reply.frame, keeping: selection.keys, to: &body)
        }
        body.append(contentsOf: "]}".utf8)
        return body
    }

    private static func one(_ key: String, of reply: ParsedReply, selection: FieldSelection) -> Data {
        guard let keys = selection.keys, let object = reply.range(of: key) else { return reply.frame }
        var body = Data(#"{"statusCode":0,""#.utf8)
        body.append(contentsOf: key.utf8)
        body.append(contentsOf: #"":"#.utf8)
        append(
            object, members: try? JSONMembers(of: reply.frame, in: object), of: reply.frame, keeping: keys, to: &body)
        body.append(UInt8(ascii: "}"))
        return body
    }

    /// Appends the object at `range` with only the members named in `keys` (all when `nil`), in the
    /// bus's order; a value that is not an object goes as it is.
    private static func append(
        _ range: Range<Int>, members: JSONMembers?, of frame: Data, keeping keys: Set<String>?, to body: inout Data
    ) {
        guard let keys, let members else {
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
