import CallsLoad
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import ZMQ

/// A Hummingbird application running in a `ServiceGroup` for the length of a scenario, on an
/// ephemeral loopback port that is read back once the server listens.
enum ApplicationHarness {
    /// Runs `application`, calls `body` with the port it listens on, then shuts it down gracefully.
    /// - Parameters:
    ///   - application: the application; its configuration should ask for port 0.
    ///   - logger: the service group's logger.
    ///   - body: the measurements against it.
    /// - Throws: what the application or `body` threw.
    static func withApplication<App: ApplicationProtocol, Result: Sendable>(
        _ application: App,
        logger: Logger,
        _ body: (Int) async throws -> Result
    ) async throws -> Result {
        let reporting = PortReportingApplication(base: application)
        let group = ServiceGroup(configuration: .init(services: [reporting], logger: logger))
        return try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask {
                do {
                    try await group.run()
                    reporting.port.resolve(.failure(BenchError("the HTTP server stopped before it listened")))
                } catch {
                    reporting.port.resolve(.failure(error))
                    throw error
                }
            }
            do {
                let port = try await reporting.port.value()
                let result = try await body(port)
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

/// An application as given, which also reports the port its server listens on.
///
/// Only what the wrapped application is asked for is forwarded; the HTTP/1.1 server and the
/// shared event loop group are Hummingbird's defaults, which the gateway and the bare route use.
private struct PortReportingApplication<Base: ApplicationProtocol>: ApplicationProtocol {
    typealias Responder = Base.Responder

    let base: Base
    let port = ReadySignal<Int>()

    var responder: Responder {
        get async throws { try await base.responder }
    }
    var configuration: ApplicationConfiguration { base.configuration }
    var logger: Logger { base.logger }
    var services: [any Service] { base.services }
    var processesRunBeforeServerStart: [@Sendable () async throws -> Void] { base.processesRunBeforeServerStart }

    @Sendable func onServerRunning(_ channel: any Channel) async {
        await base.onServerRunning(channel)
        if let port = channel.localAddress?.port {
            self.port.resolve(.success(port))
        } else {
            self.port.resolve(.failure(BenchError("the HTTP server has no local port")))
        }
    }
}
