import Foundation
import Logging
import ZMQ

/// The client's socket thread: one DEALER for every request in flight, one SUB per topic prefix.
///
/// Both connect to every endpoint of their list (every bus of a group). With `ZMQ_IMMEDIATE` the
/// DEALER queues requests only to connections that are up, and a standby bus binds nothing, so
/// requests go to the active bus alone; a SUB hears whichever bus publishes.
///
/// Requests carry an 8-byte id frame before the REQ-style delimiter; the bus echoes the whole
/// envelope, so replies find their caller whatever order they come back in.
final class BusClientLoop {
    private let configuration: BusClientConfiguration
    private let context: Context
    private let logger: Logger
    private let dealer: Socket
    private var pending: [UInt64: (deadline: ContinuousClock.Instant, reply: CheckedContinuation<Data, any Error>)] =
        [:]
    /// Requests waiting for a connection (at start, or while the bus is away), oldest first.
    private var unsent:
        [(id: UInt64, frame: Data, deadline: ContinuousClock.Instant, reply: CheckedContinuation<Data, any Error>)] = []
    private var subscriptions: [String: (socket: Socket, sinks: [UInt64: AsyncStream<RawEvent>.Continuation])] = [:]
    private var prefixOfSink: [UInt64: String] = [:]
    /// New subscriptions and when to tell them that their subscription has surely reached the bus.
    private var joinChecks: [(due: ContinuousClock.Instant, sink: UInt64)] = []
    /// How long after subscribing a subscription gets its join check: the slow-joiner window.
    static let joinWindow: Duration = .milliseconds(300)

    private let curve: (keys: CurveKeyPair, server: CurveKey)?

    init(configuration: BusClientConfiguration, context: Context, logger: Logger) throws {
        self.configuration = configuration
        self.context = context
        self.logger = logger
        curve = try Self.curveKeys(configuration)
        dealer = try Socket(.dealer, context: context)
        try secure(dealer)
        // libzmq queues nothing for a bus that is not connected: requests wait in `unsent`, bounded
        // by their deadline, instead of sitting in a pipe to a connection that may never come.
        try dealer.set(.immediate, true)
        try dealer.set(.reconnectInterval, .milliseconds(100))
        try dealer.set(.reconnectIntervalMax, .seconds(1))
        for endpoint in configuration.requestEndpoints { try dealer.connect(endpoint) }
    }

    /// The client's key pair and the bus's public key, when CURVE is configured.
    private static func curveKeys(_ configuration: BusClientConfiguration) throws -> (
        keys: CurveKeyPair, server: CurveKey
    )? {
        guard let secretFile = configuration.curveSecretKeyFile, let serverFile = configuration.curveServerKeyFile
        else {
            return nil
        }
        guard let keys = try CurveCertificate(contentsOf: secretFile).keyPair else {
            throw BusUnavailableError(reason: "\(secretFile) is not a secret certificate (no valid secret-key)")
        }
        return (keys, try CurveCertificate(contentsOf: serverFile).publicKey)
    }

    /// CURVE when configured, and ZMTP heartbeats always, so a dead bus is noticed and reconnected.
    private func secure(_ socket: Socket) throws {
        try socket.set(.heartbeatInterval, .seconds(1))
        try socket.set(.heartbeatTimeout, .seconds(3))
        guard let curve else { return }
        try socket.set(.curveServerKey, curve.server)
        try socket.set(.curvePublicKey, curve.keys.publicKey)
        try socket.set(.curveSecretKey, curve.keys.secretKey)
    }

    /// Serves commands until `stop` is posted or the context shuts down; then fails what is left.
    func run(commands: Mailbox<BusClientCommand>, stop: Mailbox<Void>) throws {
        defer { failEverything(reason: "the bus client stopped") }
        var poller = makePoller(commands: commands, stop: stop)
        while true {
            let now = ContinuousClock.now
            let nearest = (pending.values.map(\.deadline) + unsent.map(\.deadline) + joinChecks.map(\.due)).min()
            // While requests wait for a connection, look again soon: libzmq does not say when it connects.
            let ceiling: Duration = unsent.isEmpty ? .milliseconds(500) : .milliseconds(5)
            let wait = min(nearest.map { max(.zero, $0 - now) } ?? ceiling, ceiling)
            do {
                try poller.poller.poll(timeout: wait)
            } catch {
                if error.isTerminated { return }
                throw error
            }
            if poller.poller.isReadable(at: poller.stop) { return }
            if poller.poller.isReadable(at: poller.commands) {
                var subscriptionsChanged = false
                for command in commands.drain() { subscriptionsChanged = handle(command) || subscriptionsChanged }
                if subscriptionsChanged { poller = makePoller(commands: commands, stop: stop) }
            }
            sendWaitingRequests()
            try receiveReplies()
            try receiveEvents()
            expireRequests(now: ContinuousClock.now)
            sendJoinChecks(now: ContinuousClock.now)
        }
    }

    private func handle(_ command: BusClientCommand) -> Bool {
        switch command {
        case .request(let id, let frame, let deadline, let reply):
            unsent.append((id, frame, deadline, reply))
            return false
        case .subscribe(let id, let prefix, let sink):
            do {
                if subscriptions[prefix] == nil {
                    let socket = try Socket(.subscriber, context: context)
                    try secure(socket)
                    try socket.set(.receiveHighWaterMark, 100_000)
                    try socket.set(.subscribe, prefix)
                    for endpoint in configuration.eventsEndpoints { try socket.connect(endpoint) }
                    subscriptions[prefix] = (socket, [:])
                }
                subscriptions[prefix]?.sinks[id] = sink
                prefixOfSink[id] = prefix
                joinChecks.append((ContinuousClock.now + Self.joinWindow, id))
            } catch {
                logger.error("subscription failed", metadata: ["bus.topic": "\(prefix)", "error": "\(error)"])
                sink.finish()
            }
            return true
        case .unsubscribe(let id):
            guard let prefix = prefixOfSink.removeValue(forKey: id) else { return false }
            subscriptions[prefix]?.sinks.removeValue(forKey: id)?.finish()
            if subscriptions[prefix]?.sinks.isEmpty == true { subscriptions[prefix] = nil }
            return true
        }
    }

    /// Sends what waits, in order, as far as the connection takes it; the rest waits for the next turn.
    private func sendWaitingRequests() {
        var sentCount = 0
        for request in unsent {
            let frames = [withUnsafeBytes(of: request.id.bigEndian) { Data($0) }, Data(), request.frame]
            guard (try? dealer.trySend(multipart: frames)) == true else { break }
            pending[request.id] = (request.deadline, request.reply)
            sentCount += 1
        }
        unsent.removeFirst(sentCount)
    }

    private func receiveReplies() throws {
        while let frames = try dealer.tryReceiveMultipart() {
            guard frames.count == 3, frames[0].count == 8, frames[1].count == 0 else {
                logger.warning("malformed reply dropped", metadata: ["bus.frames": "\(frames.count)"])
                continue
            }
            let id = frames[0].withUnsafeBytes { UInt64(bigEndian: $0.loadUnaligned(as: UInt64.self)) }
            // A reply for a request that already timed out has no one waiting for it.
            pending.removeValue(forKey: id)?.reply.resume(returning: frames[2].data)
        }
    }

    private func receiveEvents() throws {
        for (_, subscription) in subscriptions {
            while let frames = try subscription.socket.tryReceiveMultipart() {
                guard frames.count == 2 else { continue }
                let event = RawEvent.published(topic: frames[0].string, body: frames[1].data)
                for sink in subscription.sinks.values { sink.yield(event) }
            }
        }
    }

    /// Events published while a new subscription was still on its way to the bus were dropped by
    /// PUB/SUB; the join check tells the subscriber to ask `events.replay` for them.
    private func sendJoinChecks(now: ContinuousClock.Instant) {
        let due = joinChecks.filter { $0.due <= now }
        guard !due.isEmpty else { return }
        joinChecks.removeAll { $0.due <= now }
        for check in due {
            guard let prefix = prefixOfSink[check.sink] else { continue }
            subscriptions[prefix]?.sinks[check.sink]?.yield(.joinCheck)
        }
    }

    private func expireRequests(now: ContinuousClock.Instant) {
        for (id, request) in pending where request.deadline <= now {
            pending[id] = nil
            request.reply.resume(
                throwing: BusUnavailableError(reason: "no answer within \(configuration.requestTimeout)"))
        }
        let expired = unsent.filter { $0.deadline <= now }
        guard !expired.isEmpty else { return }
        unsent.removeAll { $0.deadline <= now }
        for request in expired {
            request.reply.resume(
                throwing: BusUnavailableError(reason: "not connected to \(configuration.requestEndpoint)"))
        }
    }

    private func failEverything(reason: String) {
        for request in pending.values { request.reply.resume(throwing: BusUnavailableError(reason: reason)) }
        pending.removeAll()
        for request in unsent { request.reply.resume(throwing: BusUnavailableError(reason: reason)) }
        unsent.removeAll()
        for subscription in subscriptions.values {
            for sink in subscription.sinks.values { sink.finish() }
        }
        subscriptions.removeAll()
    }

    private func makePoller(
        commands: Mailbox<BusClientCommand>,
        stop: Mailbox<Void>
    ) -> (poller: Poller, commands: Int, stop: Int) {
        let poller = Poller()
        let commandsIndex = poller.register(commands)
        let stopIndex = poller.register(stop)
        poller.register(dealer)
        for subscription in subscriptions.values { poller.register(subscription.socket) }
        return (poller, commandsIndex, stopIndex)
    }
}
