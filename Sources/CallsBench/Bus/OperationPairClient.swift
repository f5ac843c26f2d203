import CallsLoad
import Foundation
import ZMQ

/// One client of the call-control scenario: a DEALER that runs `chains` pairs of `calls.operate`
/// requests side by side, each pair's second request sent when its first is answered (a consult
/// call's id comes from the `InitiateTransfer` reply). Owned by its thread.
///
/// Replies come back in the order the requests were sent (one connection, one bus thread that
/// answers in order), so a FIFO of chain numbers matches each reply to its chain.
final class OperationPairClient {
    /// What one client measured.
    struct Outcome: Sendable {
        /// From each pair's first request to its second reply, in nanoseconds.
        var pairLatencies: [UInt64] = []
        /// Replies whose `statusCode` was not 0 (or an `InitiateTransfer` reply without an id).
        var refused = 0
        /// When measuring started.
        var start: UInt64 = 0
        /// When the last reply came.
        var end: UInt64 = 0
    }

    private struct Chain {
        var callIndex: Int
        var secondCallId: String?
        var pairStart: UInt64 = 0
    }

    private let socket: Socket
    private let pair: OperationPair
    private let user: String

    /// Connects to `endpoint`; every request is sent as `user`.
    init(context: Context, endpoint: String, pair: OperationPair, user: String) throws {
        socket = try Socket(.dealer, context: context, linger: .zero)
        try socket.set(.sendHighWaterMark, 100_000)
        try socket.set(.receiveHighWaterMark, 100_000)
        try socket.connect(endpoint)
        self.pair = pair
        self.user = user
    }

    /// Sends `calls.get` for `callId` in lockstep, unmeasured, so the connection is up before timing.
    /// - Throws: ``BenchError`` when a reply does not come.
    func warmUp(callId: String, count: Int) throws {
        for _ in 0..<count {
            try send(RequestSource.getFrame(id: callId, user: user))
            guard try socket.receiveMultipart(timeout: .seconds(5)) != nil else {
                throw BenchError("no reply to a warm-up request")
            }
        }
    }

    /// Runs pairs on `callIds`, `chains` at a time, until `deadline`. A pair whose second request
    /// goes to a call it created uses up its call (every call is used once, and the run ends early
    /// when they are all used); otherwise calls are taken again in turn (a call is back in its first
    /// state when its pair ends, and `callIds` must be more than `chains`).
    /// - Throws: ``BenchError`` when a reply does not come within 5 s.
    func run(callIds: [String], chains: Int, start: UInt64, deadline: UInt64) throws -> Outcome {
        var outcome = Outcome(start: start)
        var states: [Chain] = []
        var order: [Int] = []  // chains whose request is in flight, oldest first
        var orderHead = 0
        var nextCall = 0
        func startPair(_ chain: Int) throws -> Bool {
            if !pair.secondGoesToCreatedCall { nextCall %= callIds.count }
            guard nextCall < callIds.count, MonotonicClock.now() < deadline else { return false }
            let state = Chain(callIndex: nextCall, pairStart: MonotonicClock.now())
            nextCall += 1
            if chain < states.count { states[chain] = state } else { states.append(state) }
            try send(pair.firstFrame(callId: callIds[state.callIndex], user: user))
            order.append(chain)
            return true
        }
        for chain in 0..<chains where try !startPair(chain) { break }
        while orderHead < order.count {
            guard let reply = try socket.tryReceiveMultipart() ?? socket.receiveMultipart(timeout: .seconds(5)) else {
                throw BenchError("no reply to a call-control request within 5 s")
            }
            let chain = order[orderHead]
            orderHead += 1
            let now = MonotonicClock.now()
            outcome.end = now
            let body = reply.last?.data ?? Data()
            if states[chain].secondCallId == nil {
                guard let second = pair.secondCallId(reply: body, firstCallId: callIds[states[chain].callIndex])
                else {
                    outcome.refused += 1
                    _ = try startPair(chain)
                    continue
                }
                states[chain].secondCallId = second
                try send(pair.secondFrame(callId: second, user: user))
                order.append(chain)
            } else {
                if !body.starts(with: Self.successPrefix) { outcome.refused += 1 }
                outcome.pairLatencies.append(now &- states[chain].pairStart)
                _ = try startPair(chain)
            }
        }
        return outcome
    }

    private static let successPrefix = Data(#"{"statusCode":0"#.utf8)

    private func send(_ frame: [UInt8]) throws {
        try socket.send([UInt8](), hasMore: true)
        try socket.send(frame)
    }
}

@available(*, unavailable, message: "a client belongs to its thread")
extension OperationPairClient: Sendable {}
