public import Calls
public import CallsJSON
public import Foundation

/// A reply frame read once: its status, and where its payload lies in the frame, so that a caller
/// can pass the bus's bytes on (a call, a list of calls) without parsing them again.
///
/// A frame that is not a JSON object, or has no whole-number `statusCode`, reads as a refusal with
/// status 4 (internal), keeping the frame as it came.
public struct ParsedReply: Sendable {
    /// The reply exactly as the bus sent it.
    public let frame: Data
    /// 0 for success, else the contract's status code.
    public let statusCode: Int
    /// The bus's sentence for a person, on refusals.
    public let statusMessage: String?
    /// The top-level members; `nil` when the frame is not an object.
    public let members: JSONMembers?

    /// Reads `frame`'s status and finds its members.
    public init(frame: Data) {
        self.frame = frame
        do {
            let members = try JSONMembers(of: frame)
            self.members = members
            let status = members.wholeNumber("statusCode", in: frame)
            statusCode = status.flatMap { Int(exactly: $0) } ?? 4
            statusMessage =
                members.value("statusMessage", in: frame)?.stringValue
                ?? (status == nil ? "the bus sent a reply without a statusCode" : nil)
        } catch {
            members = nil
            statusCode = 4
            statusMessage = "the bus sent a reply that is not a JSON object: \(error)"
        }
    }

    /// `true` for `statusCode` 0.
    public var isSuccess: Bool { statusCode == 0 }

    /// The refusal as an error; `nil` for success.
    public var error: CallsError? {
        guard statusCode != 0 else { return nil }
        let code = CallsError.Code(statusCode: statusCode) ?? .internal
        return CallsError(code: code, message: statusMessage ?? "the bus refused the request (\(statusCode))")
    }

    /// The reply itself when it is a success.
    /// - Throws: the refusal it carries, as ``Calls/CallsError``.
    public func checked() throws(CallsError) -> ParsedReply {
        if let error { throw error }
        return self
    }

    /// Where the value under `key` lies in ``frame``.
    public func range(of key: String) -> Range<Int>? {
        members?[key]
    }

    /// The value's bytes under `key` (`{...}` for `call`, `[...]` for `calls`), as the bus encoded it.
    public func bytes(of key: String) -> Data? {
        range(of: key).map { frame[$0] }
    }

    /// The whole number under `key` (`seq`, `deviceSeq`), if there is one.
    public func wholeNumber(_ key: String) -> UInt64? {
        members?.wholeNumber(key, in: frame)
    }

    /// The string under `key` (`id`), if there is one.
    public func string(_ key: String) -> String? {
        members?.value(key, in: frame)?.stringValue
    }

    /// `true` when `key` holds `true` (`more` of an `events.replay` page).
    public func flag(_ key: String) -> Bool {
        members?.value(key, in: frame) == .bool(true)
    }

    /// The `seq` of a `calls.list` reply: the last event its snapshot holds.
    public var seq: UInt64? { wholeNumber("seq") }

    /// Where each element of the array under `key` lies in ``frame``.
    /// - Throws: ``CallsJSON/JSONParseError`` when `key` is absent or not an array.
    public func elements(of key: String) throws(JSONParseError) -> [Range<Int>] {
        guard let range = range(of: key) else { throw JSONParseError(message: "no '\(key)' in the reply", offset: 0) }
        return try JSONMembers.elements(of: frame, in: range)
    }

    /// Decodes the value under `key` with `JSONDecoder`: for a person's display (the command line),
    /// never a hot path.
    /// - Throws: `DecodingError`, or ``CallsJSON/JSONParseError`` when `key` is absent.
    public func decode<Value: Decodable>(_ type: Value.Type, at key: String) throws -> Value {
        guard let bytes = bytes(of: key) else { throw JSONParseError(message: "no '\(key)' in the reply", offset: 0) }
        return try JSONDecoder().decode(type, from: bytes)
    }
}
