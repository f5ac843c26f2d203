import Calls
import CallsStore
import Foundation
import Logging
import ZMQ

/// The bus's loop: owns both sockets and the ``BusCore`` on one thread; commits run beside it.
///
/// Requests are taken in batches: the core applies each in memory, and the batch is handed to the
/// ``CommitPipeline``, which commits it in one transaction on its own thread while the loop goes
/// on with the next batch. Only when a batch is durable are its events published and its replies
/// sent, in order. A reply therefore never acknowledges a change that a crash could lose, and
/// durability costs one fsync per batch without the loop waiting for it.
final class BusEngine {
    let endpoints: BusEndpoints
    let router: Socket
    /// Re-bound when a CURVE key is revoked, so that every subscriber passes the gate again.
    var publisher: Socket
    /// The CURVE policy and its ZAP handler; `nil` without CURVE.
    let gate: CurveGate?
    /// The bus's own CURVE key pair; `nil` without CURVE.
    let curveKeys: CurveKeyPair?
    let context: Context
    let store: any CallStorage
    let core: BusCore
    let logger: Logger
    let configuration: BusConfiguration
    /// Replies of the requests served since the last seal.
    var pendingReplies: [(route: [[UInt8]], reply: Data)] = []
    let pipeline: CommitPipeline
    /// Batches handed to the pipeline and not yet durable, oldest first.
    var inFlight: [SealedBatch] = []
    /// The pipeline generation whose completions belong to ``inFlight``.
    var generation: UInt64 = 0
    /// Watches only the pipeline's completions, for the moments the loop must wait for them.
    let completionPoller = Poller()
    /// Set when the loop must stop after the request it is serving (the stored state is unreadable).
    var mustStop: BusServiceError?

    /// The lease of an active bus of a group; `nil` for a bus alone on its SQLite file.
    let lease: LeaseKeeper?
    /// Why the loop must stand down (the lease is lost); the loop ends as soon as it is set.
    var standDownReason: String?

    /// Loads the state from `store` and binds both sockets.
    /// - Parameters:
    ///   - store: the opened store; the engine closes it when its loop ends.
    ///   - lease: the lease this bus serves under, in a group; `nil` alone.
    /// - Throws: ``BusServiceError``.
    init(
        configuration: BusConfiguration, directory: Directory, context: Context, logger: Logger,
        store: any CallStorage, lease: LeaseKeeper? = nil
    ) throws {
        self.configuration = configuration
        self.context = context
        self.logger = logger
        self.store = store
        self.lease = lease
        do {
            core = try BusCore(configuration: configuration, directory: directory, store: store, logger: logger)
        } catch {
            store.close()
            throw BusServiceError(
                code: .stateUnavailable, message: "cannot load the state from \(store.location)", underlying: error)
        }
        (router, publisher, gate, curveKeys) = try Self.makeSockets(
            configuration: configuration,
            policy: core.policy,
            context: context,
            logger: logger
        )
        endpoints = BusEndpoints(request: try router.get(.lastEndpoint), events: try publisher.get(.lastEndpoint))
        // Last of all: its thread holds the store (and the state file's lock) until stopped.
        do {
            pipeline = try CommitPipeline(store: store)
        } catch {
            throw BusServiceError(code: .socketFailed, message: "cannot create the commit pipeline", underlying: error)
        }
        _ = completionPoller.register(pipeline.completions)
        logger.info(
            "bus started",
            metadata: [
                "bus.rep.endpoint": "\(endpoints.request)",
                "bus.pub.endpoint": "\(endpoints.events)",
                "bus.state": "\(store.location)",
                "bus.calls": "\(core.callCount)",
                "bus.seq": "\(core.seq)",
                "bus.curve": "\(gate.map { "on, \($0.clients.count) clients" } ?? "off")",
            ]
        )
    }

    /// How a loop ended.
    enum Outcome: Equatable {
        /// `stop` was posted or the context shut down: every batch was committed and answered.
        case stopped
        /// The lease was lost: the sockets are closed, and the bus must stand by.
        case stoodDown(reason: String)
    }

    /// Serves until `stop` receives a post, the context shuts down or the lease is lost; a post to
    /// `reload` re-reads the CURVE clients folder.
    func run(until stop: Mailbox<Void>, reload: Mailbox<Void>) throws -> Outcome {
        defer {
            // Deterministically, not whenever the last reference goes: a restarted bus in the same
            // process must find the state file's lock free.
            pipeline.stop()
            store.close()
        }
        let poller = Poller()
        let routerIndex = poller.register(router)
        let stopIndex = poller.register(stop)
        let reloadIndex = poller.register(reload)
        let zapIndex = gate.map { poller.register($0.handler.socket) }
        let completionsIndex = poller.register(pipeline.completions)
        let lostIndex = lease.map { poller.register($0.lost) }
        var nextExpiry = Date()
        while standDownReason == nil {
            do {
                try poller.poll(timeout: .milliseconds(500))
            } catch {
                if error.isTerminated { break }
                throw error
            }
            if let lease, (lostIndex.map(poller.isReadable(at:)) ?? false) || !lease.isHeld {
                // Checked before anything is served: a bus that was paused past its lease answers
                // nothing from its old state.
                standDownReason = "the lease could not be renewed in time or another bus took it"
                break
            }
            if poller.isReadable(at: completionsIndex) {
                try takeCompletions()
            }
            if standDownReason != nil { break }
            if Date() >= nextExpiry {
                core.expireReleasedCalls(now: Date())
                nextExpiry = Date().addingTimeInterval(min(1, max(0.05, configuration.releasedRetention / 4)))
            }
            if let zapIndex, poller.isReadable(at: zapIndex) {
                try gate?.handler.answerWaitingRequests()
            }
            if poller.isReadable(at: reloadIndex), !reload.drain().isEmpty {
                reloadCurveClients()
            }
            if poller.isReadable(at: routerIndex), standDownReason == nil {
                // One batch syncing and one waiting behind it: the next requests wait in the
                // socket, and so gather into a larger batch, until the sync ahead completes.
                try waitForCompletions(until: { inFlight.count < Self.maxBatchesInFlight })
                try serveWaitingRequests()
            }
            try seal()
            if let mustStop { throw mustStop }
            if poller.isReadable(at: stopIndex) {
                break
            }
        }
        if let standDownReason {
            finishStandingDown()
            router.close()
            publisher.close()
            gate?.handler.socket.close()
            logger.notice(
                "bus standing down", metadata: ["bus.seq": "\(core.seq)", "reason": "\(standDownReason)"])
            return .stoodDown(reason: standDownReason)
        }
        try commitEverything()
        router.close()
        publisher.close()
        gate?.handler.socket.close()
        logger.info("bus stopped", metadata: ["bus.seq": "\(core.seq)"])
        return .stopped
    }

    private func serveWaitingRequests() throws {
        var served = 0
        while served < configuration.maxBatchSize {
            let message: (frames: [Message], total: Int)?
            do {
                // A request is one body frame: past the second, frames are released unread.
                message = try router.tryReceiveMultipart(keepingAtMost: RequestEnvelope.framesKept)
            } catch {
                if error.isTerminated { return }
                throw error
            }
            guard let message else { return }
            served += 1
            let envelope = RequestEnvelope(frames: message.frames, total: message.total)
            pendingReplies.append((envelope.route, serve(envelope)))
        }
    }

    func sendReply(_ reply: Data, to route: [[UInt8]]) {
        // A ROUTER drops a reply for a peer that is gone or not reading: no client can wedge the bus.
        do {
            for frame in route { try router.send(frame, hasMore: true) }
            try router.send(reply)
        } catch {
            logger.debug("reply dropped", metadata: ["zmq.errno": "\(error)"])
        }
    }

    private func reloadCurveClients() {
        guard let gate, let folder = configuration.curveClientsDirectory else { return }
        let clients: CurveClients
        let problems: [String]
        do {
            (clients, problems) = try CurveClients.read(directory: folder, principals: core.policy.directory)
        } catch {
            // An unreadable folder (not one broken file) keeps the clients admitted so far: it
            // must not lock everyone out.
            logger.error("CURVE clients not reloaded", metadata: ["error": "\(error)"])
            return
        }
        for problem in problems {
            // Fail closed: a broken certificate admits no one, and blocks no other change.
            logger.error("CURVE certificate skipped", metadata: ["error": "\(problem)"])
        }
        let revoked = gate.replaceClients(with: clients)
        logger.info(
            "CURVE clients reloaded",
            metadata: ["bus.curve.clients": "\(clients.count)", "bus.curve.revoked": "\(revoked)"])
        if revoked { rebindPublisher() }
    }

    /// Closes and re-binds the events socket: every subscriber reconnects by itself (ZMTP) and
    /// passes the ZAP gate again, so a revoked key stops receiving events. Subscribers that are
    /// still admitted see a short gap and fill it from `events.replay`.
    private func rebindPublisher() {
        publisher.close()
        for attempt in 1...50 {
            do {
                publisher = try Self.bindPublisher(
                    configuration: configuration, endpoint: endpoints.events, keys: curveKeys, context: context)
                logger.notice(
                    "events socket re-bound after a CURVE revocation",
                    metadata: ["bus.pub.endpoint": "\(endpoints.events)"])
                return
            } catch {
                // The closed listener is released by libzmq's I/O thread a moment later.
                if attempt == 50 {
                    logger.critical("events socket could not be re-bound", metadata: ["error": "\(error)"])
                } else {
                    Thread.sleep(forTimeInterval: 0.02)
                }
            }
        }
    }
}
