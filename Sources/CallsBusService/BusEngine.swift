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
            store = try CallStore(path: configuration.statePath, eventHistory: configuration.eventHistory)
            let state = try store.load()
            registry = CallRegistry(
                directory: directory,
                releasedRetention: configuration.releasedRetention,
                calls: state.calls,
                seq: state.seq,
                ownerSeqs: state.ownerSeqs
            )
            oldestRetainedSeq = state.oldestRetainedSeq
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
        router = try Self.bind(.router, configuration.requestEndpoint, in: context) { socket in
            try socket.set(.maxMessageSize, configuration.maxFrameSize)
            try socket.set(.sendHighWaterMark, 10_000)
            try socket.set(.receiveHighWaterMark, 10_000)
        }
        publisher = try Self.bind(.publisher, configuration.eventsEndpoint, in: context) { socket in
            try socket.set(.sendHighWaterMark, configuration.publisherHighWaterMark)
        }
        endpoints = BusEndpoints(request: try router.get(.lastEndpoint), events: try publisher.get(.lastEndpoint))
        logger.info(
            "bus started",
            metadata: [
                "bus.rep.endpoint": "\(endpoints.request)",
                "bus.pub.endpoint": "\(endpoints.events)",
                "bus.state.path": "\(configuration.statePath)",
                "bus.calls": "\(registry.allCalls.count)",
                "bus.seq": "\(registry.seq)",
            ]
        )
    }

    /// Serves until `stop` receives a post or the context shuts down.
    func run(until stop: Mailbox<Void>) throws {
        let poller = Poller()
        let routerIndex = poller.register(router)
        let stopIndex = poller.register(stop)
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
            pendingReplies.append((envelope.route, reply(to: envelope.body)))
        }
    }

    /// Commits what the batch changed, then publishes its events and sends its replies.
    func flush() throws {
        if !batch.isEmpty {
            do {
                try store.commit(batch)
            } catch {
                // Nothing of the batch is durable: refuse it all, and stop so that a restart
                // reloads the last committed state instead of serving what was never kept.
                logger.critical("state file write failed; stopping", metadata: ["error": "\(error)"])
                let refusal = BusReply.failure(.internal("the change could not be stored"))
                for (route, _) in pendingReplies { sendReply(refusal, to: route) }
                pendingReplies.removeAll()
                throw BusServiceError(
                    code: .stateUnavailable, message: "cannot write the state file", underlying: error)
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

    private static func bind(
        _ type: SocketType,
        _ endpoint: String,
        in context: Context,
        configure: (Socket) throws -> Void
    ) throws -> Socket {
        do {
            let socket = try Socket(type, context: context, linger: .milliseconds(100))
            try configure(socket)
            try socket.bind(endpoint)
            return socket
        } catch {
            throw BusServiceError(
                code: .cannotBind, message: "cannot bind \(type) socket to \(endpoint)", underlying: error)
        }
    }
}
