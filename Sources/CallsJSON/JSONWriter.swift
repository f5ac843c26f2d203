public import Foundation

/// Writes JSON text by hand, byte for byte: keys in the order given, strings escaped as RFC 8259
/// requires (and `/` left alone). Used where `JSONEncoder` costs too much per message.
public struct JSONWriter: Sendable {
    /// The text written so far.
    public private(set) var bytes: [UInt8] = []
    private var needsComma: [Bool] = [false]

    /// Creates an empty writer.
    public init(capacity: Int = 256) {
        bytes.reserveCapacity(capacity)
    }

    /// The text as `Data`.
    public var data: Data { Data(bytes) }

    /// Opens an object, as a value or under `key`.
    public mutating func beginObject(_ key: String? = nil) {
        prefix(key)
        bytes.append(UInt8(ascii: "{"))
        needsComma.append(false)
    }

    /// Closes the innermost object.
    public mutating func endObject() {
        needsComma.removeLast()
        bytes.append(UInt8(ascii: "}"))
    }

    /// Opens an array, as a value or under `key`.
    public mutating func beginArray(_ key: String? = nil) {
        prefix(key)
        bytes.append(UInt8(ascii: "["))
        needsComma.append(false)
    }

    /// Closes the innermost array.
    public mutating func endArray() {
        needsComma.removeLast()
        bytes.append(UInt8(ascii: "]"))
    }

    /// Writes a string, as a value or under `key`.
    public mutating func string(_ value: String, key: String? = nil) {
        prefix(key)
        quote(value)
    }

    /// Writes an array of strings under `key`.
    public mutating func strings(_ values: [String], key: String) {
        beginArray(key)
        for value in values { string(value) }
        endArray()
    }

    /// Writes a whole number, as a value or under `key`.
    public mutating func integer(_ value: some BinaryInteger, key: String? = nil) {
        prefix(key)
        bytes.append(contentsOf: Array(String(value).utf8))
    }

    /// Writes a number, as a value or under `key`; whole numbers without a fraction.
    public mutating func number(_ value: Double, key: String? = nil) {
        prefix(key)
        guard value.isFinite else {
            // JSON has no NaN or infinity; `null`, as JavaScript's JSON.stringify writes, keeps the
            // output readable by every JSON reader (ours included).
            bytes.append(contentsOf: Array("null".utf8))
            return
        }
        if value.rounded() == value, abs(value) < 1e15 {
            bytes.append(contentsOf: Array(String(Int64(value)).utf8))
        } else {
            bytes.append(contentsOf: Array(String(value).utf8))
        }
    }

    /// Writes `true` or `false`, as a value or under `key`.
    public mutating func bool(_ value: Bool, key: String? = nil) {
        prefix(key)
        bytes.append(contentsOf: Array((value ? "true" : "false").utf8))
    }

    /// Writes `null`, as a value or under `key`.
    public mutating func null(key: String? = nil) {
        prefix(key)
        bytes.append(contentsOf: Array("null".utf8))
    }

    /// Writes any JSON value (object keys sorted), as a value or under `key`.
    public mutating func value(_ value: JSONValue, key: String? = nil) {
        switch value {
        case .null: null(key: key)
        case .bool(let flag): self.bool(flag, key: key)
        case .number(let numeric): number(numeric, key: key)
        case .string(let text): self.string(text, key: key)
        case .array(let elements):
            beginArray(key)
            for element in elements { self.value(element) }
            endArray()
        case .object(let fields):
            beginObject(key)
            for name in fields.keys.sorted() { self.value(fields[name]!, key: name) }
            endObject()
        }
    }

    /// `text` as a JSON string literal, quotes included, escaped as ``string(_:key:)`` escapes it:
    /// for replies spliced together from bytes encoded once.
    public static func quoted(_ text: String) -> String {
        var writer = JSONWriter(capacity: text.utf8.count + 2)
        writer.quote(text)
        return String(decoding: writer.bytes, as: UTF8.self)
    }

    private mutating func prefix(_ key: String?) {
        if needsComma[needsComma.count - 1] { bytes.append(UInt8(ascii: ",")) }
        needsComma[needsComma.count - 1] = true
        if let key {
            quote(key)
            bytes.append(UInt8(ascii: ":"))
        }
    }

    private mutating func quote(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { utf8 in
            // Most strings need no escape: one scan, then one copy, instead of a branch per byte.
            if let first = utf8.firstIndex(where: Self.needsEscape) {
                bytes.append(contentsOf: utf8[..<first])
                for byte in utf8[first...] { escape(byte) }
            } else {
                bytes.append(contentsOf: utf8)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    private static func needsEscape(_ byte: UInt8) -> Bool {
        byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\")
    }

    private mutating func escape(_ byte: UInt8) {
        switch byte {
        case UInt8(ascii: "\""): bytes.append(contentsOf: [0x5C, 0x22])
        case UInt8(ascii: "\\"): bytes.append(contentsOf: [0x5C, 0x5C])
        case 0x0A: bytes.append(contentsOf: [0x5C, UInt8(ascii: "n")])
        case 0x0D: bytes.append(contentsOf: [0x5C, UInt8(ascii: "r")])
        case 0x09: bytes.append(contentsOf: [0x5C, UInt8(ascii: "t")])
        case 0..<0x20:
            let hex = Array("0123456789abcdef".utf8)
            bytes.append(contentsOf: [
                0x5C, UInt8(ascii: "u"), 0x30, 0x30, hex[Int(byte >> 4)], hex[Int(byte & 0x0F)],
            ])
        default: bytes.append(byte)
        }
    }
}
