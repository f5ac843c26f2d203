import Calls
import CallsBusMessages
import CallsStore
import Foundation
import Logging
import ZMQ

/// The bus's loop: owns both sockets, the registry and the store, on one thread.
///
/// Requests are taken in batches: each is applied in memory, the batch is committed in one
/// transaction, and only then are replies sent and events published. A reply therefore never
/// acknowledges a change that a crash could lose, and durability costs one fsync per batch.
final class BusEngine {
    let endpoints: BusEndpoints
    let router: Socket
    let publisher: Socket
    /// The CURVE gatekeeper; `nil` without CURVE.
    let zap: ZAPHandler?
    let store: CallStore
    let policy: AccessPolicy
    let presentation: CallPresentation
    let logger: Logger
    let configuration: BusConfiguration
    var registry: CallRegistry
    var encodedCalls: [String: Data] = [:]
    var oldestRetainedSeq: UInt64?
    var batch = StoreBatch()
    var pendingReplies: [(route: [[UInt8]], reply: Data)] = []
    var pendingEvents: [(topic: String, body: Data)] = []

    init(configuration: BusConfiguration, directory: Directory, context: Context, logger: Logger) throws {
        self.configuration = configuration
        self.logger = logger
        do {
            store = try CallStore(
                path: configuration.statePath,
                eventHistory: configuration.eventHistory,
                busyTimeout: configuration.stateBusyTimeout
            )
            let state = try store.load()
            registry = CallRegistry(
                directory: directory,
                releasedRetention: configuration.releasedRetention,
                calls: state.calls,
                seq: state.seq,
                ownerSeqs: state.ownerSeqs
            )
            oldestRetainedSeq = state.oldestRetainedSeq
        } catch  where error.code == .locked || error.code == .newerFormat {
            // These already name the file and what to do: one line for the operator.
            throw BusServiceError(code: .stateUnavailable, message: error.message)
        } catch {
            throw BusServiceError(
                code: .stateUnavailable,
                message: "cannot use the state file '\(configuration.statePath)'",
                underlying: error
            )
        }
        policy = AccessPolicy(directory: directory)
        let enricher = PhoneNumberEnricher()
        presentation = CallPresentation(publicBaseURL: configuration.publicBaseURL) {
            enricher.participantInfo(for: $0)
        }
        (router, publisher, zap) = try Self.makeSockets(
            configuration: configuration,
            directory: directory,
            context: context,
            logger: logger
        )
        endpoints = BusEndpoints(request: try router.get(.lastEndpoint), events: try publisher.get(.lastEndpoint))
        logger.info(
            "bus started",
            metadata: [
                "bus.rep.endpoint": "\(endpoints.request)",
                "bus.pub.endpoint": "\(endpoints.events)",
                "bus.state.path": "\(configuration.statePath)",
                "bus.calls": "\(registry.allCalls.count)",
                "bus.seq": "\(registry.seq)",
                "bus.curve": "\(zap.map { "on, \($0.clients.count) clients" } ?? "off")",
            ]
        )
    }

    /// Serves until `stop` receives a post or the context shuts down; a post to `reload` re-reads
    /// the CURVE clients folder.
    func run(until stop: Mailbox<Void>, reload: Mailbox<Void>) throws {
        let poller = Poller()
        let routerIndex = poller.register(router)
        let stopIndex = poller.register(stop)
        let reloadIndex = poller.register(reload)
        let zapIndex = zap.map { poller.register($0.socket) }
        var nextExpiry = Date()
        while true {
            do {
                try poller.poll(timeout: .milliseconds(500))
            } catch {
                if error.isTerminated { break }
                throw error
            }
            if Date() >= nextExpiry {
                expireReleasedCalls()
                nextExpiry = Date().addingTimeInterval(min(1, max(0.05, configuration.releasedRetention / 4)))
            }
            if let zapIndex, poller.isReadable(at: zapIndex) {
                try zap?.answerWaitingRequests()
            }
            if poller.isReadable(at: reloadIndex), !reload.drain().isEmpty {
                reloadCurveClients()
            }
            if poller.isReadable(at: routerIndex) {
                try serveWaitingRequests()
            }
            try flush()
            if poller.isReadable(at: stopIndex) {
                break
            }
        }
        try flush()
        router.close()
        publisher.close()
        zap?.socket.close()
        logger.info("bus stopped", metadata: ["bus.seq": "\(registry.seq)"])
    }

    private func serveWaitingRequests() throws {
        var served = 0
        while served < configuration.maxBatchSize {
            let frames: [Message]?
            do {
                frames = try router.tryReceiveMultipart()
            } catch {
                if error.isTerminated { return }
                throw error
            }
            guard let frames else { return }
            served += 1
            let envelope = RequestEnvelope(frames: frames)
            pendingReplies.append((envelope.route, reply(to: envelope.body, connection: envelope.principal)))
        }
    }

    /// Commits what the batch changed, then publishes its events and sends its replies.
    /// - Throws: ``BusServiceError`` only when a failed commit leaves the stored state unreadable:
    ///   then the bus must stop, since it can no longer tell what it has acknowledged.
    func flush() throws {
        if !batch.isEmpty {
            do {
                try store.commit(batch)
            } catch {
                try refuseBatch(after: error)
                return
            }
            if let last = batch.events.last {
                let oldestKept =
                    last.seq > UInt64(configuration.eventHistory)
                    ? last.seq - UInt64(configuration.eventHistory) + 1 : 1
                oldestRetainedSeq = max(oldestRetainedSeq ?? oldestKept, oldestKept)
            }
            batch = StoreBatch()
        }
        for (topic, body) in pendingEvents {
            // A PUB socket drops for a subscriber past its high-water mark; it never blocks.
            _ = try? publisher.trySend(multipart: [Data(topic.utf8), body])
        }
        pendingEvents.removeAll(keepingCapacity: true)
        for (route, reply) in pendingReplies { sendReply(reply, to: route) }
        pendingReplies.removeAll(keepingCapacity: true)
    }

    /// A failed commit kept nothing of the batch, so nothing of it may be seen: every request of
    /// the batch (reads included, which may have shown its changes) is refused, its events are
    /// dropped, and memory goes back to exactly what the store holds.
    private func refuseBatch(after error: CallStoreError) throws {
        logger.error(
            "batch refused: the state file could not be written",
            metadata: ["bus.batch.requests": "\(pendingReplies.count)", "error": "\(error)"]
        )
        let refusal = BusReply.failure(
            .internal("the state file could not be written; nothing of this request was kept, try again"))
        for (route, _) in pendingReplies { sendReply(refusal, to: route) }
        pendingReplies.removeAll()
        pendingEvents.removeAll()
        batch = StoreBatch()
        encodedCalls.removeAll()
        do {
            let state = try store.load()
            registry = CallRegistry(
                directory: registry.directory,
                releasedRetention: registry.releasedRetention,
                calls: state.calls,
                seq: state.seq,
                ownerSeqs: state.ownerSeqs
            )
            oldestRetainedSeq = state.oldestRetainedSeq
        } catch {
            logger.critical("state file unreadable after a failed write; stopping", metadata: ["error": "\(error)"])
            throw BusServiceError(
                code: .stateUnavailable, message: "cannot read the state file back", underlying: error)
        }
    }

    private func sendReply(_ reply: Data, to route: [[UInt8]]) {
        // A ROUTER drops a reply for a peer that is gone or not reading: no client can wedge the bus.
        do {
            for frame in route { try router.send(frame, hasMore: true) }
            try router.send(reply)
        } catch {
            logger.debug("reply dropped", metadata: ["zmq.errno": "\(error)"])
        }
    }

    private func expireReleasedCalls() {
        for call in registry.expireReleased(now: Date()) {
            encodedCalls[call.id] = nil
            batch.remove(callId: call.id)
            logger.debug("released call expired", metadata: ["call.id": "\(call.id)"])
        }
    }

    private func reloadCurveClients() {
        guard let zap, let folder = configuration.curveClientsDirectory else { return }
        do {
            zap.clients = try CurveClients(directory: folder, principals: policy.directory)
            logger.info("CURVE clients reloaded", metadata: ["bus.curve.clients": "\(zap.clients.count)"])
        } catch {
            // Keep serving the clients admitted so far: a broken folder must not lock everyone out.
            logger.error("CURVE clients not reloaded", metadata: ["error": "\(error)"])
        }
    }
}
