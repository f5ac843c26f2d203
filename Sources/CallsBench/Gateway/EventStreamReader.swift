import CallsLoad
import NIOCore
import NIOHTTP1
import Synchronization

/// The `id:` of every frame of one SSE stream (`GET /api/v2/me/calls/events`) and when it arrived,
/// beside the CometD sessions: the same events over the gateway's other push channel.
final class EventStreamLog: Sendable {
    /// The stream's record.
    struct State {
        /// The HTTP status of the stream's response; 0 until it came.
        var status: UInt = 0
        /// The `id` (`seq`) of every event frame, in order of receipt.
        var seqs: [UInt64] = []
        /// When the chunk holding each id arrived, `CLOCK_MONOTONIC` nanoseconds.
        var times: [UInt64] = []
        /// Why the stream ended early, if it did.
        var lost: String?
    }

    /// The record.
    let state = Mutex(State())
}

/// Reads an SSE response as it streams, line by line; only `id:` lines are kept.
final class EventStreamReader: ChannelInboundHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundOut = HTTPClientRequestPart

    private let log: EventStreamLog
    private let authorization: String
    private let stopSwitch: CometDStopSwitch
    private var pending: [UInt8] = []

    /// - Parameters:
    ///   - log: where the ids go.
    ///   - authorization: the `Authorization` header.
    ///   - stopSwitch: the run's end, after which a close is expected.
    init(log: EventStreamLog, authorization: String, stopSwitch: CometDStopSwitch) {
        self.log = log
        self.authorization = authorization
        self.stopSwitch = stopSwitch
    }

    func channelActive(context: ChannelHandlerContext) {
        var head = HTTPRequestHead(version: .http1_1, method: .GET, uri: "/api/v2/me/calls/events")
        head.headers.add(name: "Host", value: "127.0.0.1")
        head.headers.add(name: "Authorization", value: authorization)
        head.headers.add(name: "Accept", value: "text/event-stream")
        context.write(Self.wrapOutboundOut(.head(head)), promise: nil)
        context.writeAndFlush(Self.wrapOutboundOut(.end(nil)), promise: nil)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch Self.unwrapInboundIn(data) {
        case .head(let head):
            log.state.withLock { $0.status = head.status.code }
        case .body(let chunk):
            let now = MonotonicClock.now()
            pending += chunk.readableBytesView
            var seqs: [UInt64] = []
            var lineStart = 0
            while let newline = pending[lineStart...].firstIndex(of: UInt8(ascii: "\n")) {
                let line = pending[lineStart..<newline]
                if line.starts(with: Self.idPrefix),
                    let seq = UInt64(String(decoding: line.dropFirst(4), as: UTF8.self))
                {
                    seqs.append(seq)
                }
                lineStart = newline + 1
            }
            pending.removeFirst(lineStart)
            guard !seqs.isEmpty else { return }
            log.state.withLock { state in
                state.seqs += seqs
                state.times += Array(repeating: now, count: seqs.count)
            }
        case .end:
            if !stopSwitch.isStopping { lose("the stream ended") }
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        if !stopSwitch.isStopping { lose("the connection closed") }
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        lose("\(error)")
        context.close(promise: nil)
    }

    private func lose(_ reason: String) {
        log.state.withLock { if $0.lost == nil { $0.lost = reason } }
    }

    private static let idPrefix = Array("id: ".utf8)
}
