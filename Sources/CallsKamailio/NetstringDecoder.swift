/// Splits a byte stream into netstrings (`<length>:<bytes>,`), the framing of Kamailio's evapi.
///
/// Bytes arrive in any pieces; ``next()`` hands out each complete payload once. A stream that
/// breaks the framing cannot be resynchronised, so the caller drops the connection.
public struct NetstringDecoder: Sendable {
    /// The longest payload accepted; a longer length prefix is a framing error.
    public static let maximumLength = 1 << 20

    private var buffer: [UInt8] = []
    private var start = 0

    /// Creates an empty decoder.
    public init() {}

    /// Adds bytes read from the connection.
    public mutating func append(_ bytes: some Sequence<UInt8>) {
        buffer.append(contentsOf: bytes)
    }

    /// The next complete payload, or `nil` until more bytes arrive.
    /// - Throws: ``NetstringError`` when the bytes are not netstrings.
    public mutating func next() throws(NetstringError) -> [UInt8]? {
        var length = 0
        var index = start
        while index < buffer.endIndex {
            let byte = buffer[index]
            if byte == UInt8(ascii: ":") { break }
            guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte), index - start < 8 else {
                throw NetstringError(reason: "a netstring length must be 1 to 8 digits, then ':'")
            }
            length = length * 10 + Int(byte - UInt8(ascii: "0"))
            index += 1
        }
        guard index < buffer.endIndex else { return nil }
        guard index > start else { throw NetstringError(reason: "a netstring must start with its length") }
        guard length <= Self.maximumLength else {
            throw NetstringError(reason: "a netstring of \(length) bytes is longer than \(Self.maximumLength)")
        }
        let payloadStart = index + 1
        let end = payloadStart + length
        guard end < buffer.endIndex else { return nil }
        guard buffer[end] == UInt8(ascii: ",") else { throw NetstringError(reason: "a netstring must end with ','") }
        let payload = Array(buffer[payloadStart..<end])
        start = end + 1
        if start > 4096, start * 2 > buffer.count {
            buffer.removeFirst(start)
            start = 0
        }
        return payload
    }
}
