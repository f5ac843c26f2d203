package import Foundation

/// The JSON form of a benchmark's figures, for tools: pretty-printed, keys sorted.
package enum BenchJSON {
    /// `value` as pretty-printed JSON with sorted keys; a ratio over zero becomes `"inf"` or `"nan"`.
    /// - Throws: `EncodingError` (not expected: every figure is a plain number or string).
    package static func data(_ value: some Encodable) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return try encoder.encode(value)
    }
}
