import Calls
import CallsBusService
import CallsLoad
import Logging
import ServiceLifecycle

/// The real ``CallsBusService`` in a `ServiceGroup` for the length of a scenario, shut down
/// gracefully at the end, as the `calls-bus` program runs it (without signal handling).
enum ServiceHarness {
    /// Starts the service, runs `body` with its endpoints and the seconds `endpoints()` took to
    /// return (opening the state file, loading every call, binding both sockets), then stops it.
    /// - Throws: what the service or `body` threw.
    static func withService<Result: Sendable>(
        configuration: BusConfiguration,
        directory: Directory,
        logger: Logger,
        _ body: (BusEndpoints, Double) async throws -> Result
    ) async throws -> Result {
        let service = CallsBusService(configuration: configuration, directory: directory, logger: logger)
        let group = ServiceGroup(configuration: .init(services: [service], logger: logger))
        return try await withThrowingTaskGroup(of: Void.self) { tasks in
            let start = MonotonicClock.now()
            tasks.addTask { try await group.run() }
            do {
                let endpoints = try await service.endpoints()
                let startup = MonotonicClock.seconds(from: start, to: MonotonicClock.now())
                let result = try await body(endpoints, startup)
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
}
