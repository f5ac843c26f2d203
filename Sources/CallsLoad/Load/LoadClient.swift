package import ZMQ

/// One client of a load: a DEALER that sends the REQ-style empty delimiter before each request,
/// keeps a fixed number of requests in flight and times each one. Owned by its thread.
///
/// Replies come back in the order the requests were sent (one connection, one server thread that
/// answers in order), so a FIFO of send times matches each reply to its request.
package final class LoadClient {
    /// What one client measured.
    package struct Outcome: Sendable {
        /// Round trips in nanoseconds, in the order the requests were sent.
        package var latencies: [UInt64] = []
        /// Send times, when asked for (event latency needs them), in the same order.
        package var sendTimes: [UInt64] = []
        /// Replies whose `statusCode` was not 0.
        package var refused = 0
        /// Whether the client gave up waiting for a reply.
        package var timedOut = false
        /// When measuring started.
        package var start: UInt64 = 0
        /// When the last reply came.
        package var end: UInt64 = 0

        /// Creates an outcome; a client of another process (the C load generator) reports the same fields.
        package init(
            latencies: [UInt64] = [], refused: Int = 0, timedOut: Bool = false, start: UInt64 = 0, end: UInt64 = 0
        ) {
            self.latencies = latencies
            self.refused = refused
            self.timedOut = timedOut
            self.start = start
            self.end = end
        }
    }

    private static let successPrefix = Array(#"{"statusCode":0"#.utf8)
    private let socket: Socket
    private let replyTimeout: Duration

    /// Connects to `endpoint`.
    package init(context: Context, endpoint: String, replyTimeout: Duration = .seconds(5)) throws {
        socket = try Socket(.dealer, context: context, linger: .zero)
        try socket.set(.sendHighWaterMark, 100_000)
        try socket.set(.receiveHighWaterMark, 100_000)
        try socket.connect(endpoint)
        self.replyTimeout = replyTimeout
    }

    /// Sends `frame` `count` times in lockstep, unmeasured, so the connection is up before timing.
    /// - Throws: ``BenchError`` when a reply does not come.
    package func warmUp(with frame: [UInt8], count: Int) throws {
        for _ in 0..<count {
            try send(frame)
            guard try socket.receiveMultipart(timeout: replyTimeout) != nil else {
                throw BenchError("no reply to a warm-up request within \(replyTimeout)")
            }
        }
    }

    /// Keeps `inFlight` requests outstanding until `deadline` or `maxRequests` sent, then collects
    /// the replies still due.
    /// - Parameters:
    ///   - client: this client's number, passed to `source`.
    ///   - start: the common start time (a ``StartGate`` reading).
    ///   - recordSendTimes: also return each request's send time.
    package func run(
        client: Int, source: RequestSource, inFlight: Int, start: UInt64, deadline: UInt64, maxRequests: Int,
        recordSendTimes: Bool = false
    ) throws -> Outcome {
        var outcome = Outcome(start: start)
        outcome.latencies.reserveCapacity(min(maxRequests, 1 << 20))
        var pending = [UInt64](repeating: 0, count: inFlight)
        var (head, outstanding, sent) = (0, 0, 0)
        func sendNext() throws {
            let now = MonotonicClock.now()
            pending[(head + outstanding) % inFlight] = now
            if recordSendTimes { outcome.sendTimes.append(now) }
            try send(source.frame(client, sent))
            outstanding += 1
            sent += 1
        }
        while outstanding < inFlight && sent < maxRequests { try sendNext() }
        while outstanding > 0 {
            // Waiting (a poll) only when no reply is queued yet.
            guard let reply = try socket.tryReceiveMultipart() ?? socket.receiveMultipart(timeout: replyTimeout) else {
                outcome.timedOut = true
                break
            }
            let now = MonotonicClock.now()
            outcome.latencies.append(now &- pending[head])
            head = (head + 1) % inFlight
            outstanding -= 1
            if !Self.isSuccess(reply) { outcome.refused += 1 }
            outcome.end = now
            if now < deadline && sent < maxRequests { try sendNext() }
        }
        return outcome
    }

    private func send(_ frame: [UInt8]) throws {
        try socket.send([UInt8](), hasMore: true)
        try socket.send(frame)
    }

    /// `true` for the delimiter and one frame starting `{"statusCode":0`.
    private static func isSuccess(_ reply: [Message]) -> Bool {
        guard reply.count == 2, reply[0].count == 0 else { return false }
        return reply[1].withUnsafeBytes { $0.starts(with: successPrefix) }
    }
}

@available(*, unavailable, message: "a load client belongs to its thread")
extension LoadClient: Sendable {}
