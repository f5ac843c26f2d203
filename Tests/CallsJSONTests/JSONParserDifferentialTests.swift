import CallsJSON
import Foundation
import PropertyBased
import Testing

/// Our JSON reader and writer against Foundation's `JSONSerialization`: on random bytes, on slightly broken JSON and
/// on what our writer writes. Whatever we accept, Foundation accepts too, with the same value.
///
/// Foundation (swift-corelibs-foundation on Linux) differs in these ways, each allowed here and nowhere else:
/// - It guesses UTF-16 and UTF-32 from zero bytes and skips a byte order mark. We read UTF-8 only, without a mark
///   (RFC 8259, section 8.1), so input with a zero byte or a leading mark is ours to refuse.
/// - It accepts a comma before `]` or `}`. RFC 8259 does not, and neither do we.
/// - It reads `-0` as the integer 0, and our writer writes -0.0 as `0`: numbers compare with `==`, blind to the sign
///   of zero.
/// - It keeps long numbers as `NSDecimalNumber`, whose `doubleValue` is not correctly rounded (15 ulps off, seen),
///   so we read the decimal digits it kept as a `Double`, as our reader reads the text.
/// - It drops a U+FEFF that starts a string, or that follows an escape in one, as if it were a byte order mark
///   (`"\u{FEFF}a"` reads as `"a"`): a Foundation bug, so strings and keys are compared without U+FEFF.
/// - It never converts a number whose key a later duplicate replaces, so it reads `{"a":1e400,"a":1}`, which we
///   refuse as out of range.
/// Both stop at 512 levels of nesting, so depth needs no allowance.
struct JSONParserDifferentialTests {
    @Test func agreesWithFoundationOnRandomBytes() async {
        await propertyCheck(count: 5000, input: JSONInputGenerators.bytes) { bytes in
            Self.expectAgreement(bytes)
        }
    }

    @Test func agreesWithFoundationOnMutatedJSON() async {
        await propertyCheck(count: 5000, input: JSONInputGenerators.valueCodes, JSONInputGenerators.edits) {
            codes, edits in
            var writer = JSONWriter()
            writer.value(JSONInputGenerators.value(from: codes))
            Self.expectAgreement(JSONInputGenerators.edit(writer.bytes, with: edits))
        }
    }

    @Test func readsBackWhatItWrites() async {
        await propertyCheck(count: 2000, input: JSONInputGenerators.valueCodes) { codes in
            let value = JSONInputGenerators.value(from: codes)
            var writer = JSONWriter()
            writer.value(value)
            let text = Self.describe(writer.bytes)
            let ours = try #require(try? JSONValue(parsing: writer.bytes), "we refuse our own \(text)")
            #expect(Self.same(ours, value), "we read \(text) as \(ours)")
            let object = try #require(
                try? JSONSerialization.jsonObject(with: writer.data, options: [.fragmentsAllowed]),
                "Foundation refuses \(text)")
            let theirs = try #require(Self.value(fromFoundation: object), "Foundation read \(text) as \(object)")
            #expect(Self.agree(value, theirs), "Foundation reads \(text) as \(object)")
        }
    }

    @Test(arguments: [
        "-0", "-0.0", "[1,]", "{\"a\":1,}", "\u{FEFF}{}", "9007199254740993", "-5.034019208320875",
        "123456789012345678901234567890", "1e400", "1e-400", "[\"\\ud83d\"]", "\"\u{FEFF}a\"",
        "{\"e\u{301}\":1,\"\u{E9}\":2}", "{\"a\":1e400,\"a\":1}",
    ])
    func agreesWithFoundationOnEdgeCases(text: String) {
        Self.expectAgreement(Array(text.utf8))
    }

    @Test(arguments: [511, 512, 513])
    func agreesWithFoundationOnNesting(depth: Int) {
        Self.expectAgreement(Array((String(repeating: "[", count: depth) + String(repeating: "]", count: depth)).utf8))
        Self.expectAgreement(
            Array((String(repeating: #"{"a":"#, count: depth) + "1" + String(repeating: "}", count: depth)).utf8))
    }

    @Test func writesJSONForNonFiniteNumbers() throws {
        for number in [Double.nan, .infinity, -.infinity] {
            var writer = JSONWriter()
            writer.value([.number(number)])
            #expect(writer.bytes == Array("[null]".utf8), "\(Self.describe(writer.bytes))")
            #expect(try JSONValue(parsing: writer.bytes) == [.null])
        }
    }

    // MARK: - Comparing with Foundation

    /// Checks the two readers agree on `bytes`, allowing only the differences the type's comment lists.
    static func expectAgreement(_ bytes: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) {
        let text = describe(bytes)
        let object = try? JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])
        let theirs = object.flatMap(value(fromFoundation:))
        do {
            let ours = try JSONValue(parsing: bytes)
            guard let object else {
                Issue.record("we read \(text) as \(ours); Foundation refuses it", sourceLocation: sourceLocation)
                return
            }
            #expect(
                theirs.map { agree(ours, $0) } == true, "\(text): we read \(ours), Foundation \(object)",
                sourceLocation: sourceLocation)
        } catch {
            guard let object else { return }
            #expect(
                isFoundationLeniency(bytes, theirs: theirs),
                "Foundation reads \(text) as \(object); we refuse it: \(error)", sourceLocation: sourceLocation)
        }
    }

    /// Whether Foundation reads `bytes` only for reasons the type's comment lists: with those put right, we read
    /// what Foundation read.
    static func isFoundationLeniency(_ bytes: [UInt8], theirs: JSONValue?) -> Bool {
        if bytes.contains(0) { return true }
        var fixed = withoutTrailingCommas(withoutLeadingByteOrderMark(bytes))
        for _ in 0..<8 {
            do {
                let ours = try JSONValue(parsing: fixed)
                return fixed != bytes && theirs.map { agree(ours, $0) } == true
            } catch {
                // Foundation skips the range check of a number that a later duplicate key replaces: read that
                // number as 0, and agreeing with Foundation's value shows it was replaced.
                let numberBytes = Array("0123456789+-.eE".utf8)
                let start = fixed[..<error.offset].lastIndex { !numberBytes.contains($0) }.map { $0 + 1 } ?? 0
                let number = Double(String(decoding: fixed[start..<error.offset], as: UTF8.self))
                guard number?.isFinite == false else { return false }
                fixed.replaceSubrange(start..<error.offset, with: [UInt8(ascii: "0")])
            }
        }
        return false
    }

    /// Foundation's result as our value, or nil for a type JSON does not produce.
    static func value(fromFoundation object: Any) -> JSONValue? {
        switch object {
        case is NSNull:
            return .null
        case let decimal as NSDecimalNumber:
            return Double(decimal.decimalValue.description).map(JSONValue.number)
        case let number as NSNumber:
            // Foundation's `true` and `false` are the only numbers of type `c` (char) it makes.
            switch String(cString: number.objCType) {
            case "c": return .bool(number.boolValue)
            case "d", "f": return .number(number.doubleValue)
            case "Q", "L", "I", "S", "C": return .number(Double(number.uint64Value))
            default: return .number(Double(number.int64Value))
            }
        case let string as String:
            return .string(string)
        case let array as [Any]:
            var elements: [JSONValue] = []
            for element in array {
                guard let value = value(fromFoundation: element) else { return nil }
                elements.append(value)
            }
            return .array(elements)
        case let dictionary as [String: Any]:
            var fields: [String: JSONValue] = [:]
            for (key, element) in dictionary {
                guard let value = value(fromFoundation: element) else { return nil }
                fields[key] = value
            }
            return .object(fields)
        default:
            return nil
        }
    }

    /// Whether Foundation's value is what it makes of ours: the same, but for the U+FEFF it drops. Where dropping
    /// one makes two of our keys alike, Foundation keeps one of their values, so either may match.
    static func agree(_ ours: JSONValue, _ theirs: JSONValue) -> Bool {
        switch (ours, theirs) {
        case (.string(let ours), .string(let theirs)):
            return scalarsWithoutFEFF(ours).elementsEqual(scalarsWithoutFEFF(theirs))
        case (.array(let ours), .array(let theirs)):
            return ours.count == theirs.count && zip(ours, theirs).allSatisfy { agree($0, $1) }
        case (.object(let ours), .object(let theirs)):
            let candidates = Dictionary(grouping: ours) { String(scalarsWithoutFEFF($0.key)) }
            return Set(candidates.keys) == Set(theirs.keys.map { String(scalarsWithoutFEFF($0)) })
                && theirs.allSatisfy { key, value in
                    let key = scalarsWithoutFEFF(key)
                    return candidates[String(key), default: []].contains { candidate in
                        scalarsWithoutFEFF(candidate.key).elementsEqual(key) && agree(candidate.value, value)
                    }
                }
        default:
            return same(ours, theirs)
        }
    }

    /// `text` without U+FEFF (zero width no-break space), which Foundation sometimes drops.
    static func scalarsWithoutFEFF(_ text: String) -> String.UnicodeScalarView {
        String.UnicodeScalarView(text.unicodeScalars.filter { $0 != "\u{FEFF}" })
    }

    /// Equality that tells apart strings `==` calls equal (`é` and `e` with a combining accent), keys included.
    static func same(_ first: JSONValue, _ second: JSONValue) -> Bool {
        switch (first, second) {
        case (.null, .null): return true
        case (.bool(let first), .bool(let second)): return first == second
        case (.number(let first), .number(let second)): return first == second
        case (.string(let first), .string(let second)):
            return first.unicodeScalars.elementsEqual(second.unicodeScalars)
        case (.array(let first), .array(let second)):
            return first.count == second.count && zip(first, second).allSatisfy { same($0, $1) }
        case (.object(let first), .object(let second)):
            return first.count == second.count
                && first.allSatisfy { key, value in
                    guard let index = second.index(forKey: key) else { return false }
                    return key.unicodeScalars.elementsEqual(second[index].key.unicodeScalars)
                        && same(value, second[index].value)
                }
        default: return false
        }
    }

    static func withoutLeadingByteOrderMark(_ bytes: [UInt8]) -> [UInt8] {
        bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? Array(bytes.dropFirst(3)) : bytes
    }

    /// `bytes` without the commas that stand before a `]` or `}` outside strings.
    static func withoutTrailingCommas(_ bytes: [UInt8]) -> [UInt8] {
        let whitespace: [UInt8] = [0x20, 0x09, 0x0A, 0x0D]
        var kept: [UInt8] = []
        var isInString = false
        var isEscaped = false
        for (index, byte) in bytes.enumerated() {
            if isInString {
                if isEscaped {
                    isEscaped = false
                } else if byte == UInt8(ascii: "\\") {
                    isEscaped = true
                } else if byte == UInt8(ascii: "\"") {
                    isInString = false
                }
            } else if byte == UInt8(ascii: "\"") {
                isInString = true
            } else if byte == UInt8(ascii: ","),
                let next = bytes[(index + 1)...].first(where: { !whitespace.contains($0) }),
                next == UInt8(ascii: "]") || next == UInt8(ascii: "}")
            {
                continue
            }
            kept.append(byte)
        }
        return kept
    }

    /// `bytes` as printable ASCII, other bytes as `\xHH`, so a failing input can be pasted back.
    static func describe(_ bytes: [UInt8]) -> String {
        var text = "\""
        for byte in bytes {
            if (0x20...0x7E).contains(byte), byte != UInt8(ascii: "\\") {
                text.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                text += String(format: "\\x%02X", byte)
            }
        }
        return text + "\""
    }
}
