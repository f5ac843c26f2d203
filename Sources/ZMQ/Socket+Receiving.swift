internal import CZMQ

extension Socket {
    /// Waits for the next frame (up to the receive timeout, if one is set).
    /// - Throws: ``ZMQError``: ``ZMQError/Code/terminated`` once the context shuts down,
    ///   ``ZMQError/Code/wouldBlock`` when a receive timeout expired.
    public func receive() throws(ZMQError) -> Message {
        let message = Message()
        try check("zmq_msg_recv") { zmq_msg_recv(message.pointer, handle, 0) }
        return message
    }

    /// Returns the next frame if one is waiting, else `nil` at once.
    public func tryReceive() throws(ZMQError) -> Message? {
        let message = Message()
        do {
            try check("zmq_msg_recv") { zmq_msg_recv(message.pointer, handle, ZMQ_DONTWAIT) }
            return message
        } catch  where error.code == .wouldBlock {
            return nil
        }
    }

    /// Waits at most `timeout` for the next frame.
    /// - Returns: the frame, or `nil` when none came in time.
    public func receive(timeout: Duration) throws(ZMQError) -> Message? {
        guard try waitUntilReadable(timeout: timeout) else { return nil }
        return try tryReceive()
    }

    /// Waits for the next whole multipart message.
    public func receiveMultipart() throws(ZMQError) -> [Message] {
        try remainingFrames(after: receive())
    }

    /// Returns the next whole multipart message if one is waiting, else `nil` at once.
    public func tryReceiveMultipart() throws(ZMQError) -> [Message]? {
        guard let first = try tryReceive() else { return nil }
        return try remainingFrames(after: first)
    }

    /// Waits at most `timeout` for the next whole multipart message.
    public func receiveMultipart(timeout: Duration) throws(ZMQError) -> [Message]? {
        guard let first = try receive(timeout: timeout) else { return nil }
        return try remainingFrames(after: first)
    }

    /// `true` when a frame can be received now or within `timeout`.
    public func waitUntilReadable(timeout: Duration) throws(ZMQError) -> Bool {
        var item = zmq_pollitem_t(socket: handle, fd: -1, events: Int16(ZMQ_POLLIN), revents: 0)
        let milliseconds = timeout.roundedUpMilliseconds
        let ready = try check("zmq_poll") { zmq_poll(&item, 1, milliseconds) }
        return ready > 0
    }

    /// Returns the next multipart message if one is waiting, else `nil` at once, keeping at most
    /// the first `limit` frames: the others are received and released one by one, so a message of
    /// many large frames is never held whole by the caller.
    /// - Returns: the frames kept, and how many frames the message had in all.
    public func tryReceiveMultipart(keepingAtMost limit: Int) throws(ZMQError) -> (frames: [Message], total: Int)? {
        guard let first = try tryReceive() else { return nil }
        var frames = [first]
        var total = 1
        var last = first
        // The frames of one message arrive together, so these calls never wait.
        while last.hasMore {
            last = try receive()
            total += 1
            if frames.count < limit { frames.append(last) }
        }
        return (frames, total)
    }

    private func remainingFrames(after first: Message) throws(ZMQError) -> [Message] {
        var frames = [first]
        // The frames of one message arrive together, so these calls never wait.
        while frames[frames.count - 1].hasMore {
            frames.append(try receive())
        }
        return frames
    }
}

extension Duration {
    /// Whole milliseconds, rounding up so a short positive timeout never becomes "don't wait".
    var roundedUpMilliseconds: Int {
        let (seconds, attoseconds) = components
        let perMillisecond: Int64 = 1_000_000_000_000_000
        let fraction = (attoseconds + perMillisecond - 1) / perMillisecond
        return Int(seconds) * 1000 + Int(fraction)
    }
}
