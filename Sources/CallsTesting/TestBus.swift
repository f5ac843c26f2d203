public import Calls
public import CallsBusService
public import Logging
import ServiceLifecycle
public import ZMQ

/// The real ``CallsBusService`` running in a `ServiceGroup` for the length of a test, on ipc
/// endpoints in a temporary directory.
public struct TestBus: Sendable {
    /// The endpoints it bound.
    public let endpoints: BusEndpoints
    /// The configuration it runs with.
    public let configuration: BusConfiguration
    /// The service itself.
    public let service: CallsBusService
    /// A context for the test's own sockets.
    public let context: Context

    /// Runs `body` against a freshly started bus, then shuts the bus down gracefully.
    /// - Parameters:
    ///   - folder: where the endpoints and the state file live; pass the same one to restart on the same
    ///     state (the caller then removes it). Without one, a fresh folder is made and removed afterwards.
    ///   - directory: the principals.
    ///   - logger: the service's logger (silent by default).
    ///   - configure: changes to the configuration (retention, history…) after the test defaults.
    ///   - body: the test.
    public static func run<Result: Sendable>(
        in givenFolder: TemporaryDirectory? = nil,
        directory: Directory = TestDirectory.standard,
        logger: Logger = Logger(label: "test-bus", factory: { _ in SwiftLogNoOpLogHandler() }),
        configure: (inout BusConfiguration) -> Void = { _ in },
        _ body: (TestBus) async throws -> Result
    ) async throws -> Result {
        let folder = givenFolder ?? TemporaryDirectory()
        defer { if givenFolder == nil { folder.remove() } }
        var configuration = BusConfiguration(
            statePath: folder.file("state.sqlite"),
            requestEndpoint: folder.ipcEndpoint("requests"),
            eventsEndpoint: folder.ipcEndpoint("events")
        )
        configure(&configuration)
        let service = CallsBusService(configuration: configuration, directory: directory, logger: logger)
        let group = ServiceGroup(configuration: .init(services: [service], logger: logger))
        let context = try Context()
        return try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            do {
                let bus = TestBus(
                    endpoints: try await service.endpoints(),
                    configuration: configuration,
                    service: service,
                    context: context
                )
                let result = try await body(bus)
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
                return result
            } catch {
                await group.triggerGracefulShutdown()
                try? await tasks.waitForAll()
                throw error
            }
        }
    }

    /// Runs `body` with a new request client on a thread of its own (its calls block).
    public func withClient<Result: Sendable>(
        _ body: @escaping @Sendable (BusTestClient) throws -> Result
    ) async throws -> Result {
        let (context, endpoint) = (context, endpoints.request)
        return try await SocketLoop.run(name: "test-client") {
            try body(BusTestClient(context: context, endpoint: endpoint))
        }
    }

    /// Runs `body` with a request client and a subscriber to `topics`, on a thread of their own.
    public func withSubscriber<Result: Sendable>(
        topics: [String],
        _ body: @escaping @Sendable (BusTestClient, BusTestSubscriber) throws -> Result
    ) async throws -> Result {
        let (context, endpoints) = (context, endpoints)
        return try await SocketLoop.run(name: "test-subscriber") {
            let subscriber = try BusTestSubscriber(context: context, endpoint: endpoints.events, topics: topics)
            return try body(BusTestClient(context: context, endpoint: endpoints.request), subscriber)
        }
    }
}
