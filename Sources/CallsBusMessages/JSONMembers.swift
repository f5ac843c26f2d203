public import CallsJSON
public import Foundation

/// The members of one JSON object as byte ranges of the bytes that hold it: read only far enough to
/// find where each value starts and ends, so that a reply's call can be passed on as the bus encoded
/// it instead of being parsed and written again.
///
/// Keys are decoded (by ``CallsJSON``'s reader when they hold an escape); values are not: read the
/// ones you need with ``JSONValue/init(parsing:maximumDepth:)`` on their range. Strings are checked
/// for control characters and brackets for balance, nothing more, so this is for bytes the bus
/// wrote with its one encoder, not for untrusted input.
public struct JSONMembers: Sendable {
    /// One `"key":value` of the object.
    public struct Member: Sendable {
        /// The decoded key.
        public var key: String
        /// Where the member starts: the key's opening quote.
        public var start: Int
        /// The value's bytes.
        public var value: Range<Int>
    }

    /// The members in the order they appear.
    public private(set) var members: [Member] = []
    /// The object itself, braces included.
    public let object: Range<Int>

    /// Finds the members of the object that fills `range` of `bytes` (white space around allowed).
    /// - Throws: ``JSONParseError`` when the bytes are not an object or are cut short.
    public init(of bytes: Data, in range: Range<Int>? = nil) throws(JSONParseError) {
        let range = range ?? bytes.startIndex..<bytes.endIndex
        let result: Result<(Range<Int>, [Member]), JSONParseError> = bytes.withUnsafeBytes { buffer in
            var scanner = JSONSkipper(bytes: buffer, base: bytes.startIndex, index: range.lowerBound - bytes.startIndex)
            return Result { () throws(JSONParseError) in try scanner.object(end: range.upperBound - bytes.startIndex) }
        }
        (object, members) = try result.get()
    }

    /// The value's bytes under `key`, if present.
    public subscript(key: String) -> Range<Int>? {
        members.first { $0.key == key }?.value
    }

    /// The value under `key` read with ``CallsJSON``'s reader; `nil` when absent or not JSON.
    /// - Parameter bytes: the bytes these members were found in.
    public func value(_ key: String, in bytes: Data) -> JSONValue? {
        self[key].flatMap { try? JSONValue(parsing: bytes[$0]) }
    }

    /// The whole number of zero or more under `key`: plain digits read directly, anything else
    /// through the reader.
    /// - Parameter bytes: the bytes these members were found in.
    public func wholeNumber(_ key: String, in bytes: Data) -> UInt64? {
        guard let range = self[key] else { return nil }
        if range.count <= 18 {
            var number: UInt64 = 0
            var isPlain = !range.isEmpty
            for byte in bytes[range] {
                guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else {
                    isPlain = false
                    break
                }
                number = number * 10 + UInt64(byte - UInt8(ascii: "0"))
            }
            if isPlain { return number }
        }
        guard case .number(let number)? = value(key, in: bytes), number >= 0, number < 9.0e15 else { return nil }
        return UInt64(exactly: number)
    }

    /// The object's bytes without the member `key` (and the comma that joined it): a replayed
    /// event without its `topic` is the body as it was published.
    /// - Parameter bytes: the bytes these members were found in.
    public func object(in bytes: Data, without key: String) -> Data {
        guard let index = members.firstIndex(where: { $0.key == key }) else { return bytes[object] }
        let cut: Range<Int>
        if index + 1 < members.count {
            cut = members[index].start..<members[index + 1].start
        } else if index > 0 {
            cut = members[index - 1].value.upperBound..<members[index].value.upperBound
        } else {
            return Data("{}".utf8)
        }
        var result = Data(capacity: object.count - cut.count)
        result.append(bytes[object.lowerBound..<cut.lowerBound])
        result.append(bytes[cut.upperBound..<object.upperBound])
        return result
    }

    /// The ranges of the elements of the array at `range` of `bytes`.
    /// - Throws: ``JSONParseError`` when the bytes there are not an array.
    public static func elements(of bytes: Data, in range: Range<Int>) throws(JSONParseError) -> [Range<Int>] {
        let result: Result<[Range<Int>], JSONParseError> = bytes.withUnsafeBytes { buffer in
            var scanner = JSONSkipper(bytes: buffer, base: bytes.startIndex, index: range.lowerBound - bytes.startIndex)
            return Result { () throws(JSONParseError) in try scanner.array(end: range.upperBound - bytes.startIndex) }
        }
        return try result.get()
    }
}

/// Walks JSON text without building values, noting where things are (offsets are `base` + index).
private struct JSONSkipper {
    let bytes: UnsafeRawBufferPointer
    let base: Int
    var index: Int

    mutating func object(end: Int) throws(JSONParseError) -> (Range<Int>, [JSONMembers.Member]) {
        skipWhitespace()
        let start = index
        guard consume(UInt8(ascii: "{")) else { throw error("expected an object") }
        var members: [JSONMembers.Member] = []
        skipWhitespace()
        if !consume(UInt8(ascii: "}")) {
            repeat {
                skipWhitespace()
                let keyStart = index
                guard peek == UInt8(ascii: "\"") else { throw error("expected a key") }
                try skipString()
                let key = try decodedKey(keyStart..<index)
                skipWhitespace()
                guard consume(UInt8(ascii: ":")) else { throw error("expected ':'") }
                skipWhitespace()
                let valueStart = index
                try skipValue()
                members.append(.init(key: key, start: base + keyStart, value: base + valueStart..<base + index))
                skipWhitespace()
            } while consume(UInt8(ascii: ","))
            guard consume(UInt8(ascii: "}")) else { throw error("expected ',' or '}'") }
        }
        let objectEnd = index
        skipWhitespace()
        guard index == end else { throw error("unexpected text after the object") }
        return (base + start..<base + objectEnd, members)
    }

    mutating func array(end: Int) throws(JSONParseError) -> [Range<Int>] {
        skipWhitespace()
        guard consume(UInt8(ascii: "[")) else { throw error("expected an array") }
        var elements: [Range<Int>] = []
        skipWhitespace()
        if !consume(UInt8(ascii: "]")) {
            repeat {
                skipWhitespace()
                let start = index
                try skipValue()
                elements.append(base + start..<base + index)
                skipWhitespace()
            } while consume(UInt8(ascii: ","))
            guard consume(UInt8(ascii: "]")) else { throw error("expected ',' or ']'") }
        }
        skipWhitespace()
        guard index == end else { throw error("unexpected text after the array") }
        return elements
    }

    /// Skips one value; a nested object or array by counting brackets outside strings.
    private mutating func skipValue() throws(JSONParseError) {
        guard let first = peek else { throw error("unexpected end of input") }
        switch first {
        case UInt8(ascii: "\""):
            try skipString()
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            var depth = 0
            repeat {
                guard let byte = peek else { throw error("an unterminated object or array") }
                switch byte {
                case UInt8(ascii: "\""):
                    try skipString()
                    continue
                case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
                case UInt8(ascii: "}"), UInt8(ascii: "]"): depth -= 1
                default: break
                }
                index += 1
            } while depth > 0
        default:
            let start = index
            while let byte = peek, !Self.endsScalar(byte) { index += 1 }
            guard index > start else { throw error("unexpected character") }
        }
    }

    private mutating func skipString() throws(JSONParseError) {
        index += 1
        while let byte = peek {
            index += 1
            switch byte {
            case UInt8(ascii: "\""): return
            case UInt8(ascii: "\\"): index += 1
            case 0..<0x20: throw error("a control character in a string")
            default: break
            }
        }
        throw error("an unterminated string")
    }

    /// A key without escapes is its bytes; one with escapes goes through the real reader.
    private func decodedKey(_ range: Range<Int>) throws(JSONParseError) -> String {
        let inner = UnsafeRawBufferPointer(rebasing: bytes[range.lowerBound + 1..<range.upperBound - 1])
        if !inner.contains(UInt8(ascii: "\\")), let key = String(validating: inner, as: UTF8.self) { return key }
        guard case .string(let key) = try JSONValue(parsing: Array(bytes[range])) else {
            throw error("expected a key")
        }
        return key
    }

    private static func endsScalar(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: ","), UInt8(ascii: "}"), UInt8(ascii: "]"), 0x20, 0x09, 0x0A, 0x0D: true
        default: false
        }
    }

    private var peek: UInt8? { index < bytes.count ? bytes[index] : nil }

    private mutating func consume(_ byte: UInt8) -> Bool {
        guard peek == byte else { return false }
        index += 1
        return true
    }

    private mutating func skipWhitespace() {
        while let byte = peek, byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D { index += 1 }
    }

    private func error(_ problem: String) -> JSONParseError {
        JSONParseError(message: problem, offset: base + index)
    }
}
