internal import CZMQ
public import Foundation

extension Socket {
    /// Sends one frame, waiting while the high-water mark is reached (up to the send timeout).
    /// - Parameters:
    ///   - frame: the bytes; copied, so the caller may reuse them at once.
    ///   - hasMore: `true` when more frames of the same message follow.
    /// - Throws: ``ZMQError``; ``ZMQError/Code/wouldBlock`` when the send timeout expired.
    public func send(_ frame: some ContiguousBytes, hasMore: Bool = false) throws(ZMQError) {
        _ = try send(frame, flags: hasMore ? ZMQ_SNDMORE : 0)
    }

    /// Sends the UTF-8 bytes of `string` as one frame.
    public func send(_ string: String, hasMore: Bool = false) throws(ZMQError) {
        try send(Array(string.utf8), hasMore: hasMore)
    }

    /// Sends a frame built before; the message is empty afterwards (libzmq took its content).
    public func send(_ message: Message, hasMore: Bool = false) throws(ZMQError) {
        try check("zmq_msg_send") { zmq_msg_send(message.pointer, handle, hasMore ? ZMQ_SNDMORE : 0) }
    }

    /// Sends one frame if that is possible without waiting.
    /// - Returns: `false` when the frame was not sent (high-water mark reached, no peer).
    public func trySend(_ frame: some ContiguousBytes, hasMore: Bool = false) throws(ZMQError) -> Bool {
        try send(frame, flags: ZMQ_DONTWAIT | (hasMore ? ZMQ_SNDMORE : 0))
    }

    /// Sends a multipart message: every frame but the last is flagged "more".
    /// - Throws: ``ZMQError``; a message is delivered whole or not at all.
    public func send(multipart frames: [some ContiguousBytes]) throws(ZMQError) {
        for (index, frame) in frames.enumerated() {
            try send(frame, hasMore: index < frames.count - 1)
        }
    }

    /// Sends a multipart message if its first frame can go without waiting.
    /// - Returns: `false` when nothing was sent.
    public func trySend(multipart frames: [some ContiguousBytes]) throws(ZMQError) -> Bool {
        for (index, frame) in frames.enumerated() {
            let hasMore = index < frames.count - 1
            if index == 0 {
                guard try trySend(frame, hasMore: hasMore) else { return false }
            } else {
                // Once the first frame is queued, libzmq accepts the rest of the message.
                try send(frame, hasMore: hasMore)
            }
        }
        return true
    }

    private func send(_ frame: some ContiguousBytes, flags: Int32) throws(ZMQError) -> Bool {
        do {
            try check("zmq_send") {
                frame.withUnsafeBytes { zmq_send(handle, $0.baseAddress, $0.count, flags) }
            }
            return true
        } catch  where error.code == .wouldBlock && flags & ZMQ_DONTWAIT != 0 {
            return false
        }
    }
}
