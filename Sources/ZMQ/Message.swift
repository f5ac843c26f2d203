internal import CZMQ
public import Foundation

/// One ZeroMQ frame, owning its `zmq_msg_t`: any size, no fixed buffer, no truncation.
///
/// A received message also answers libzmq's metadata questions (``userId``, ``peerAddress``),
/// which is why it is a class: the properties live in the `zmq_msg_t` until it is closed.
/// Not `Sendable`: read ``bytes`` or ``data`` and pass those across threads.
public final class Message {
    let pointer: UnsafeMutablePointer<zmq_msg_t>

    /// Creates an empty frame.
    public init() {
        pointer = .allocate(capacity: 1)
        zmq_msg_init(pointer)
    }

    /// Creates a frame holding a copy of `bytes`.
    public init(bytes: some ContiguousBytes) {
        pointer = .allocate(capacity: 1)
        bytes.withUnsafeBytes { buffer in
            // Allocation of a message only fails on out-of-memory, where libzmq aborts anyway.
            zmq_msg_init_size(pointer, buffer.count)
            if let base = buffer.baseAddress, buffer.count > 0 {
                zmq_msg_data(pointer).copyMemory(from: base, byteCount: buffer.count)
            }
        }
    }

    /// Creates a frame holding the UTF-8 bytes of `string`.
    public convenience init(_ string: String) {
        self.init(bytes: Array(string.utf8))
    }

    deinit {
        zmq_msg_close(pointer)
        pointer.deallocate()
    }

    /// The frame's size in bytes.
    public var count: Int { zmq_msg_size(pointer) }

    /// Calls `body` with the frame's bytes, without copying them.
    public func withUnsafeBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        try body(UnsafeRawBufferPointer(start: zmq_msg_data(pointer), count: count))
    }

    /// A copy of the frame's bytes.
    public var bytes: [UInt8] { withUnsafeBytes { Array($0) } }

    /// A copy of the frame's bytes as `Data`.
    public var data: Data { withUnsafeBytes { Data($0) } }

    /// The frame as UTF-8 text; invalid sequences become U+FFFD.
    public var string: String { withUnsafeBytes { String(decoding: $0, as: UTF8.self) } }

    /// `true` when more frames of the same multipart message follow this one.
    public var hasMore: Bool { zmq_msg_more(pointer) != 0 }

    /// A metadata property of a received frame (`"User-Id"`, `"Peer-Address"`, `"Socket-Type"`,
    /// or one a ZAP handler set), or `nil` when the connection has none.
    public func property(_ name: String) -> String? {
        guard let value = zmq_msg_gets(pointer, name) else { return nil }
        return String(cString: value)
    }

    /// The user id the ZAP handler gave this connection (with CURVE: the principal it admitted).
    public var userId: String? { property("User-Id") }

    /// The IP address of the peer that sent the frame (TCP only).
    public var peerAddress: String? { property("Peer-Address") }
}
