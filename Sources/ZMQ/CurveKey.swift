internal import CZMQ

/// A 32-byte CURVE key (public or secret), printable in ZeroMQ's Z85 text form.
///
/// `description` never shows the key itself, so a secret key cannot leak into a log by accident.
public struct CurveKey: Sendable, Hashable, CustomStringConvertible {
    /// The raw key, always 32 bytes.
    public let bytes: [UInt8]

    /// Wraps 32 raw bytes; `nil` for any other length.
    public init?(bytes: [UInt8]) {
        guard bytes.count == 32 else { return nil }
        self.bytes = bytes
    }

    /// Decodes the 40-character Z85 form; `nil` when the text is not a Z85 key.
    public init?(z85 text: String) {
        let characters = Array(text.utf8)
        guard characters.count == 40 else { return nil }
        var decoded = [UInt8](repeating: 0, count: 32)
        let ok = (characters + [0]).withUnsafeBufferPointer { source in
            source.withMemoryRebound(to: CChar.self) { zmq_z85_decode(&decoded, $0.baseAddress) != nil }
        }
        guard ok else { return nil }
        self.bytes = decoded
    }

    /// The 40-character Z85 text form, as `zmq_curve_keypair` and CZMQ certificates write it.
    public var z85: String {
        var text = [CChar](repeating: 0, count: 41)
        _ = bytes.withUnsafeBufferPointer { zmq_z85_encode(&text, $0.baseAddress, 32) }
        return String(decoding: text.prefix(40).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    public var description: String { "CurveKey(32 bytes)" }
}
