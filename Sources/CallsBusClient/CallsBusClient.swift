public import CallsBusMessages
public import Foundation
public import Logging
public import ServiceLifecycle
import Synchronization
import ZMQ

/// An async client of the bus: many concurrent requests over one connection, each with its own
/// timeout, and event subscriptions that follow the contract's resync recipe themselves.
///
/// Run it as a `Service` (in a `ServiceGroup`, or a Hummingbird `Application`'s services); its
/// sockets live on a thread of their own. No ZeroMQ type appears in its interface.
public final class CallsBusClient: Service, Sendable {
    /// Where the bus is and how long to wait for it.
    public let configuration: BusClientConfiguration
    private let logger: Logger
    private let commands: Mailbox<BusClientCommand>
    private let stop: Mailbox<Void>
    private let nextId = Atomic<UInt64>(1)
    private let isStopped = Mutex(false)
    private let hasRun = Atomic<Bool>(false)

    /// Creates a client; nothing connects until ``run()``.
    /// - Throws: when the process is out of file descriptors.
    public init(configuration: BusClientConfiguration = BusClientConfiguration(), logger: Logger) throws {
        self.configuration = configuration
        self.logger = logger
        commands = try Mailbox()
        stop = try Mailbox()
    }

    /// Connects and serves requests until graceful shutdown or cancellation.
    public func run() async throws {
        precondition(!hasRun.exchange(true, ordering: .relaxed), "CallsBusClient.run() called twice")
        let context = try Context()
        let (configuration, logger, commands, stop) = (configuration, logger, commands, stop)
        defer { failLateCommands() }
        try await withGracefulShutdownHandler {
            try await SocketLoop.run(name: "calls-bus-client", onCancel: { context.shutdown() }) {
                let loop = try BusClientLoop(configuration: configuration, context: context, logger: logger)
                try loop.run(commands: commands, stop: stop)
            }
        } onGracefulShutdown: {
            stop.post(())
        }
    }

    /// Sends one request and returns its reply, read once.
    /// - Parameters:
    ///   - request: the request.
    ///   - timeout: how long to wait; the configuration's `requestTimeout` when `nil`.
    /// - Throws: ``BusUnavailableError`` when the bus is not connected or does not answer in time.
    ///   A refusal is a reply, not an error: see ``CallsBusMessages/ParsedReply/checked()``.
    public func send(_ request: BusRequest, timeout: Duration? = nil) async throws -> ParsedReply {
        try await send(frame: request.encoded(), timeout: timeout)
    }

    /// Sends one request frame (already encoded JSON) and returns its reply, read once.
    /// - Throws: ``BusUnavailableError`` when the bus is not connected or does not answer in time.
    public func send(frame: Data, timeout: Duration? = nil) async throws -> ParsedReply {
        let id = nextId.wrappingAdd(1, ordering: .relaxed).oldValue
        let deadline = ContinuousClock.now + (timeout ?? configuration.requestTimeout)
        let reply = try await withCheckedThrowingContinuation { continuation in
            let posted = isStopped.withLock { stopped in
                if !stopped { commands.post(.request(id: id, frame: frame, deadline: deadline, reply: continuation)) }
                return !stopped
            }
            if !posted { continuation.resume(throwing: BusUnavailableError(reason: "the bus client stopped")) }
        }
        // Read here, on the caller's task, not on the socket thread that every request shares.
        return ParsedReply(frame: reply)
    }

    /// Subscribes to raw events under `prefix` until the returned stream's consumer stops.
    func rawEvents(prefix: String) -> AsyncStream<RawEvent> {
        let id = nextId.wrappingAdd(1, ordering: .relaxed).oldValue
        let (stream, continuation) = AsyncStream.makeStream(
            of: RawEvent.self,
            bufferingPolicy: .bufferingNewest(configuration.subscriptionBuffer)
        )
        let commands = commands
        continuation.onTermination = { _ in commands.post(.unsubscribe(id: id)) }
        let posted = isStopped.withLock { stopped in
            if !stopped { commands.post(.subscribe(id: id, prefix: prefix, sink: continuation)) }
            return !stopped
        }
        if !posted { continuation.finish() }
        return stream
    }

    private func failLateCommands() {
        isStopped.withLock { $0 = true }
        for command in commands.drain() {
            switch command {
            case .request(_, _, _, let reply):
                reply.resume(throwing: BusUnavailableError(reason: "the bus client stopped"))
            case .subscribe(_, _, let sink): sink.finish()
            case .unsubscribe: break
            }
        }
    }
}
