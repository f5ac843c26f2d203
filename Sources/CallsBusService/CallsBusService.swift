public import Calls
import CallsStore
public import Logging
public import ServiceLifecycle
import Synchronization
import UnixSignals
import ZMQ

/// The bus service: answers requests on a REP-style endpoint and publishes call-state events.
///
/// Run it in a `ServiceGroup`. Its sockets, its call registry and its store live on one thread of
/// their own; graceful shutdown lets that thread finish the requests it holds, commit them, answer
/// them and close its sockets.
public final class CallsBusService: Service, Sendable {
    private let configuration: BusConfiguration
    private let directory: Directory
    private let logger: Logger
    private let readiness = ReadySignal<BusEndpoints>()
    private let hasRun = Atomic<Bool>(false)
    private let reloads = Mutex<Mailbox<Void>?>(nil)

    /// Creates the service; nothing is opened until ``run()``.
    /// - Parameters:
    ///   - configuration: endpoints, state file and limits.
    ///   - directory: the principals, already loaded and checked.
    ///   - logger: where the service says what it does.
    public init(configuration: BusConfiguration, directory: Directory, logger: Logger) {
        self.configuration = configuration
        self.directory = directory
        self.logger = logger
    }

    /// Opens the store, binds both sockets and serves until graceful shutdown or cancellation.
    /// - Throws: ``BusServiceError`` when an endpoint cannot be bound or the state file cannot be used.
    public func run() async throws {
        precondition(!hasRun.exchange(true, ordering: .relaxed), "CallsBusService.run() called twice")
        let context: Context
        let stop: Mailbox<Void>
        let reload: Mailbox<Void>
        do {
            context = try Context()
            stop = try Mailbox<Void>()
            reload = try Mailbox<Void>()
        } catch {
            readiness.resolve(.failure(error))
            throw BusServiceError(code: .socketFailed, message: "cannot create the ZeroMQ context", underlying: error)
        }
        reloads.withLock { $0 = reload }
        let (configuration, directory, logger, readiness) = (configuration, directory, logger, readiness)
        try await withGracefulShutdownHandler {
            try await withThrowingTaskGroup(of: Void.self) { group in
                if configuration.reloadsOnHangup {
                    group.addTask {
                        for await _ in await UnixSignalsSequence(trapping: .sighup) { reload.post(()) }
                    }
                }
                try await Self.serve(
                    configuration, directory, logger, readiness, context: context, stop: stop, reload: reload)
                group.cancelAll()
            }
        } onGracefulShutdown: {
            stop.post(())
        }
    }

    /// Re-reads the CURVE clients folder (what SIGHUP does when ``BusConfiguration/reloadsOnHangup`` is on).
    public func reloadCurveClients() {
        reloads.withLock { $0?.post(()) }
    }

    private static func serve(
        _ configuration: BusConfiguration,
        _ directory: Directory,
        _ logger: Logger,
        _ readiness: ReadySignal<BusEndpoints>,
        context: Context,
        stop: Mailbox<Void>,
        reload: Mailbox<Void>
    ) async throws {
        try await SocketLoop.run(name: "calls-bus", onCancel: { context.shutdown() }) {
            do {
                if let member = try groupMember(configuration, directory, logger) {
                    try member.run(context: context, stop: stop, reload: reload) {
                        readiness.resolve(.success($0))
                    }
                } else {
                    let engine = try BusEngine(
                        configuration: configuration, directory: directory, context: context, logger: logger,
                        store: try openStateFile(configuration))
                    readiness.resolve(.success(engine.endpoints))
                    _ = try engine.run(until: stop, reload: reload)
                }
            } catch {
                readiness.resolve(.failure(error))
                throw error
            }
        }
    }

    /// Opens the SQLite state file of a bus that runs alone.
    private static func openStateFile(_ configuration: BusConfiguration) throws(BusServiceError) -> CallStore {
        do {
            return try CallStore(
                path: configuration.statePath,
                eventHistory: configuration.eventHistory,
                busyTimeout: configuration.stateBusyTimeout
            )
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
    }

    /// Waits until both sockets are bound (in a group: until this bus is active for the first
    /// time) and returns the endpoints actually bound.
    /// - Throws: the error that stopped the service from starting.
    public func endpoints() async throws -> BusEndpoints {
        try await readiness.value()
    }
}
