import CallsJSON
import PropertyBased

/// Inputs for the JSON reader's property tests, each built from plain integer codes so that shrinking the codes
/// shrinks the input.
enum JSONInputGenerators {
    /// Bytes a JSON reader decides on, so that short random strings get past the first byte now and then.
    static let interestingBytes: [UInt8] =
        Array(#"{}[],:"\-+.eE019tfnu/ "#.utf8) + [
            0x09, 0x0A, 0x0D, 0x00, 0x7F, 0x80, 0xC3, 0xA9, 0xED, 0xA0, 0xBF, 0xFF,
        ]

    /// Numbers at the edges: signed zero, the integer limits of a `Double`, the writer's `1e15` switch, subnormals.
    static let edgeNumbers: [Double] = [
        0, -0.0, 0.5, -1.5, 0.1, 1.0 / 3, 1e-7, 999_999_999_999_999, 1e15, -1e15, 1e15 + 1, 999_999_999_999_999.9,
        9_007_199_254_740_992, 9_007_199_254_740_994, 9.223372036854776e18, -9.223372036854776e18,
        1.8446744073709552e19, 1.2345678901234568e17, 1e21, 1e22, 1e23, 5e-324, 2.2250738585072014e-308,
        .greatestFiniteMagnitude, -.greatestFiniteMagnitude,
    ]

    /// Characters that need escaping, that take 2 to 4 bytes in UTF-8, or that `String` compares loosely.
    static let scalars: [Unicode.Scalar] = [
        "a", "Z", "0", " ", "\"", "\\", "/", "\u{0}", "\u{1F}", "\n", "\t", "\u{7F}", "\u{E9}", "e", "\u{301}",
        "\u{20AC}", "\u{1F600}", "\u{2028}", "\u{FEFF}", "\u{FFFF}", "\u{10FFFF}",
    ]

    /// Up to 24 bytes, half of them from ``interestingBytes``.
    static var bytes: Generator<[UInt8], some Sequence & SendableMetatype> {
        Gen.uint16().map(byte(from:)).array(of: 0...24)
    }

    /// Codes for ``value(from:)``.
    static var valueCodes: Generator<[UInt32], some Sequence & SendableMetatype> { Gen.uint32().array(of: 0...40) }

    /// Codes for ``edit(_:with:)``: one to three edits.
    static var edits: Generator<[UInt32], some Sequence & SendableMetatype> { Gen.uint32().array(of: 1...3) }

    /// One byte of ``bytes``: even codes pick from ``interestingBytes``, odd ones any byte.
    static func byte(from code: UInt16) -> UInt8 {
        code & 1 == 0 ? interestingBytes[Int(code >> 1) % interestingBytes.count] : UInt8(truncatingIfNeeded: code >> 8)
    }

    /// A JSON value, at most four levels deep and five wide, read off `codes`; missing codes read as `null`.
    static func value(from codes: [UInt32]) -> JSONValue {
        var tape = codes[...]
        return value(from: &tape, depth: 0)
    }

    /// `bytes` with each code's edit applied: replace, insert or delete one byte.
    static func edit(_ bytes: [UInt8], with codes: [UInt32]) -> [UInt8] {
        var bytes = bytes
        for code in codes {
            let replacement =
                code & 4 == 0
                ? interestingBytes[Int(code >> 3 & 0x1F) % interestingBytes.count]
                : UInt8(truncatingIfNeeded: code >> 24)
            let position = Int(code >> 8 & 0xFFFF) % (bytes.count + 1)
            switch position == bytes.count ? 1 : code & 3 {
            case 1: bytes.insert(replacement, at: position)
            case 2: bytes.remove(at: position)
            default: bytes[position] = replacement
            }
        }
        return bytes
    }

    private static func value(from tape: inout ArraySlice<UInt32>, depth: Int) -> JSONValue {
        guard let code = tape.popFirst() else { return .null }
        let rest = Int(code >> 3)
        // Most documents (13 in 16) are an array or an object, as on the bus.
        let kind = depth == 0 && code & 7 < 6 && rest & 3 != 0 ? 6 + (code & 1) : code & 7
        switch kind {
        case 0: return .null
        case 1: return .bool(rest & 1 == 0)
        case 2 where rest & 1 == 0: return .number(Double((rest >> 1) % 2001 - 1000))
        case 2: return .number(Double((rest >> 1) % 2_000_001) / 1000 - 1000)
        case 3: return .number(edgeNumbers[rest % edgeNumbers.count])
        case 4:
            let number = Double(bitPattern: UInt64(tape.popFirst() ?? 0) << 32 | UInt64(tape.popFirst() ?? 0))
            return .number(number.isFinite ? number : 0)
        case 6 where depth < 4:
            var elements: [JSONValue] = []
            for _ in 0..<(rest >> 2) % 6 { elements.append(value(from: &tape, depth: depth + 1)) }
            return .array(elements)
        case 7 where depth < 4:
            var fields: [String: JSONValue] = [:]
            for _ in 0..<(rest >> 2) % 6 {
                let key = string(from: &tape, count: Int(tape.popFirst() ?? 0) % 4)
                fields[key] = value(from: &tape, depth: depth + 1)
            }
            return .object(fields)
        default: return .string(string(from: &tape, count: rest % 6))  // also containers past the depth limit
        }
    }

    private static func string(from tape: inout ArraySlice<UInt32>, count: Int) -> String {
        var text = ""
        for _ in 0..<count { text.unicodeScalars.append(scalars[Int(tape.popFirst() ?? 0) % scalars.count]) }
        return text
    }
}
