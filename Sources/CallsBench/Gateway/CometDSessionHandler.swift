import CallsLoad
import NIOCore
import NIOHTTP1
import Synchronization

/// What one load session saw, written on its channel's event loop and read by the scenario.
final class CometDSessionLog: Sendable {
    /// The session's record.
    struct State {
        /// Subscribed and past its first (immediate) connect: holding connects from now on.
        var isHolding = false
        /// Why the session ended before the scenario closed it; `nil` while it lives.
        var lost: String?
        /// The `seq` of every call event delivered, in order of receipt.
        var seqs: [UInt64] = []
        /// When each of ``seqs`` arrived (the response head), `CLOCK_MONOTONIC` nanoseconds.
        var times: [UInt64] = []
        /// `/meta/connect` replies received.
        var connects = 0
    }

    /// The principal the session logs in as.
    let user: String
    /// Whether it subscribes to everything (`/v2/me/**`) as a supervisor.
    let isSupervisor: Bool
    /// The record.
    let state = Mutex(State())

    /// A log for `user`'s session.
    init(user: String, isSupervisor: Bool) {
        self.user = user
        self.isSupervisor = isSupervisor
    }

    /// Marks the session lost, keeping the first reason.
    func lose(_ reason: String) {
        state.withLock { if $0.lost == nil { $0.lost = reason } }
    }
}

/// Tells every session of a run to stop sending connects: set before the channels are closed,
/// so that a close is not counted as a lost session.
final class CometDStopSwitch: Sendable {
    private let flag = Atomic<Bool>(false)
    /// Whether the run is ending.
    var isStopping: Bool { flag.load(ordering: .acquiring) }
    /// Ends the run.
    func stop() { flag.store(true, ordering: .releasing) }
}

/// One CometD client over one keep-alive HTTP/1.1 connection: handshake, subscribe (an agent to
/// `/v2/me/calls` and `/v2/me/devices`, a supervisor to `/v2/me/**`), then one `/meta/connect`
/// after another, each held by the gateway until something is queued. Only the `seq` of each
/// delivered call event is read (`"data":{"seq":N`), not the whole JSON.
final class CometDSessionHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundOut = HTTPClientRequestPart

    private enum Phase { case handshake, subscribe, firstConnect, connect }

    private let log: CometDSessionLog
    private let authorization: String
    private let ready: EventLoopPromise<Void>
    private let stopSwitch: CometDStopSwitch
    private let setupLimit: TimeAmount
    private var phase = Phase.handshake
    private var clientId = ""
    private var status: UInt = 0
    private var receivedAt: UInt64 = 0
    private var body: ByteBuffer?
    private var isReadySettled = false
    private var nextId = 0

    /// - Parameters:
    ///   - log: where the session's record goes.
    ///   - authorization: the `Authorization` header of every request.
    ///   - ready: settled once the session holds connects, or failed when it cannot.
    ///   - stopSwitch: the run's end.
    ///   - setupLimit: how long the handshake and subscription may take.
    init(
        log: CometDSessionLog, authorization: String, ready: EventLoopPromise<Void>, stopSwitch: CometDStopSwitch,
        setupLimit: TimeAmount
    ) {
        self.log = log
        self.authorization = authorization
        self.ready = ready
        self.stopSwitch = stopSwitch
        self.setupLimit = setupLimit
    }

    func channelActive(context: ChannelHandlerContext) {
        let handshake = #"{"channel":"/meta/handshake","version":"1.0","supportedConnectionTypes":["long-polling"]"#
        send(handshake, context: context)
        let loop = context.eventLoop
        let channel = context.channel
        loop.assumeIsolated().scheduleTask(in: setupLimit) { [self] in
            guard !isReadySettled else { return }
            fail("setup took more than \(setupLimit.nanoseconds / 1_000_000_000) s", channel: channel)
        }
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch Self.unwrapInboundIn(data) {
        case .head(let head):
            receivedAt = MonotonicClock.now()
            status = head.status.code
            body = context.channel.allocator.buffer(capacity: 1_024)
        case .body(var chunk):
            body?.writeBuffer(&chunk)
        case .end:
            let bytes = body.map { Array($0.readableBytesView) } ?? []
            body = nil
            answered(bytes, context: context)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        if !stopSwitch.isStopping { fail("the connection closed (\(phase))", channel: context.channel) }
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        fail("\(error)", channel: context.channel)
    }

    private func answered(_ bytes: [UInt8], context: ChannelHandlerContext) {
        guard status == 200, !bytes.contains(subsequence: Self.unsuccessful) else {
            fail(
                "\(phase): HTTP \(status) \(String(decoding: bytes.prefix(200), as: UTF8.self))",
                channel: context.channel)
            return
        }
        switch phase {
        case .handshake:
            guard let id = bytes.stringValue(after: Self.clientIdKey) else {
                fail("no clientId in the handshake reply", channel: context.channel)
                return
            }
            clientId = id
            phase = .subscribe
            let channels = log.isSupervisor ? ["/v2/me/**"] : ["/v2/me/calls", "/v2/me/devices"]
            send(
                channels.map { #"{"channel":"/meta/subscribe","clientId":"\#(id)","subscription":"\#($0)""# },
                context: context)
        case .subscribe:
            phase = .firstConnect
            connect(context: context)
        case .firstConnect, .connect:
            let seqs = bytes.numbers(after: Self.deliveredSeq)
            let time = receivedAt
            let becomesHolding = phase == .firstConnect
            log.state.withLock { state in
                state.connects += 1
                state.seqs += seqs
                state.times += Array(repeating: time, count: seqs.count)
                if becomesHolding { state.isHolding = true }
            }
            if becomesHolding {
                phase = .connect
                isReadySettled = true
                ready.succeed()
            }
            if !stopSwitch.isStopping { connect(context: context) }
        }
    }

    private func connect(context: ChannelHandlerContext) {
        send(#"{"channel":"/meta/connect","clientId":"\#(clientId)","connectionType":"long-polling""#, context: context)
    }

    /// Sends one request of `messages`, each an object's opening without its `id` and closing brace.
    private func send(_ messages: String..., context: ChannelHandlerContext) {
        send(messages, context: context)
    }

    private func send(_ messages: [String], context: ChannelHandlerContext) {
        let json =
            "["
            + messages.map { message -> String in
                nextId += 1
                return message + #","id":"\#(nextId)"}"#
            }.joined(separator: ",") + "]"
        var head = HTTPRequestHead(version: .http1_1, method: .POST, uri: "/api/v2/notifications")
        head.headers.add(name: "Host", value: "127.0.0.1")
        head.headers.add(name: "Authorization", value: authorization)
        head.headers.add(name: "Content-Type", value: "application/json")
        head.headers.add(name: "Content-Length", value: "\(json.utf8.count)")
        context.write(Self.wrapOutboundOut(.head(head)), promise: nil)
        context.write(
            Self.wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(string: json)))), promise: nil)
        context.writeAndFlush(Self.wrapOutboundOut(.end(nil)), promise: nil)
    }

    private func fail(_ reason: String, channel: any Channel) {
        log.lose(reason)
        if !isReadySettled {
            isReadySettled = true
            ready.fail(BenchError(reason))
        }
        channel.close(promise: nil)
    }

    private static let unsuccessful = Array(#""successful":false"#.utf8)
    private static let clientIdKey = Array(#""clientId":""#.utf8)
    private static let deliveredSeq = Array(#""data":{"seq":"#.utf8)
}

extension Array where Element == UInt8 {
    /// Whether `pattern` occurs in the bytes.
    func contains(subsequence pattern: [UInt8]) -> Bool { firstIndex(of: pattern, from: 0) != nil }

    /// The index where `pattern` next starts at or after `start`.
    func firstIndex(of pattern: [UInt8], from start: Int) -> Int? {
        guard !pattern.isEmpty, count >= pattern.count else { return nil }
        var index = start
        while index <= count - pattern.count {
            if self[index] == pattern[0] && self[index..<index + pattern.count].elementsEqual(pattern) { return index }
            index += 1
        }
        return nil
    }

    /// The decimal number after each occurrence of `marker`.
    func numbers(after marker: [UInt8]) -> [UInt64] {
        var found: [UInt64] = []
        var index = 0
        while let start = firstIndex(of: marker, from: index) {
            index = start + marker.count
            var value: UInt64 = 0
            var digits = 0
            while index < count, self[index] >= 48, self[index] <= 57 {
                value = value * 10 + UInt64(self[index] - 48)
                digits += 1
                index += 1
            }
            if digits > 0 { found.append(value) }
        }
        return found
    }

    /// The characters after the first `marker` up to the next `"`.
    func stringValue(after marker: [UInt8]) -> String? {
        guard let start = firstIndex(of: marker, from: 0) else { return nil }
        let from = start + marker.count
        guard let end = self[from...].firstIndex(of: UInt8(ascii: "\"")) else { return nil }
        return String(decoding: self[from..<end], as: UTF8.self)
    }
}
