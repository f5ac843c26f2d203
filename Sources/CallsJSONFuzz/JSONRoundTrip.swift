import CallsJSON

/// The property the fuzzer checks: whatever our reader accepts, our writer writes as JSON that reads back the same.
enum JSONRoundTrip {
    /// Reads `bytes` and, when they are JSON, writes the value and reads it back; traps when anything differs.
    /// - Returns: whether our reader accepted `bytes`.
    @discardableResult
    static func check(_ bytes: [UInt8]) -> Bool {
        guard let value = try? JSONValue(parsing: bytes) else { return false }
        var writer = JSONWriter()
        writer.value(value)
        let again: JSONValue
        do {
            again = try JSONValue(parsing: writer.bytes)
        } catch {
            fatalError("our reader refuses our writer's \(shown(writer.bytes)): \(error)")
        }
        // `==` lets -0.0 equal 0 (the writer writes both as `0`); the second writing compares byte for byte.
        guard again == value else { fatalError("\(value) was written as \(shown(writer.bytes)), read as \(again)") }
        var rewriter = JSONWriter()
        rewriter.value(again)
        guard rewriter.bytes == writer.bytes else {
            fatalError("writing \(shown(writer.bytes)) again gave \(shown(rewriter.bytes))")
        }
        return true
    }

    private static func shown(_ bytes: [UInt8]) -> String {
        String(decoding: bytes, as: UTF8.self).debugDescription
    }
}

/// libFuzzer's entry point: checks one input.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    JSONRoundTrip.check(Array(UnsafeRawBufferPointer(start: start, count: count)))
    return 0
}
