import Calls
import CallsBusClient
import CallsBusMessages
import CallsBusService
import CallsJSON
import CallsProxy
import CallsTesting
import Logging
import ServiceLifecycle
import Testing

/// The real proxy in front of the real bus, in process: a client given the proxy as its events
/// endpoint and the bus as its request endpoint follows the recipe unchanged.
@Suite(.timeLimit(.minutes(1)))
struct CallsProxyServiceTests {
    private static let logger = Logger(label: "test-proxy", factory: { _ in SwiftLogNoOpLogHandler() })

    /// Runs `services` (a proxy and clients) in one group around `body`, then shuts them down.
    private func run<Result: Sendable>(
        _ services: [any Service], _ body: () async throws -> Result
    ) async throws -> Result {
        let group = ServiceGroup(configuration: .init(services: services, logger: Self.logger))
        return try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            do {
                let result = try await body()
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

    private func report(_ client: CallsBusClient, callId: String) async throws {
        let event: JSONValue = ["type": "Ringing", "callId": .string(callId), "deviceId": "dev-1001"]
        let reply = try await client.send(
            BusRequest(operation: .telephonyEvent, user: TestDirectory.telephony, fields: ["event": event]))
        #expect(reply.statusCode == 0)
    }

    @Test func aClientTakingEventsFromTheProxyGetsEveryEventInOrder() async throws {
        let folder = TemporaryDirectory()
        defer { folder.remove() }
        try await TestBus.run { bus in
            let proxy = try CallsProxyService(
                configuration: ProxyConfiguration(
                    busEndpoints: [bus.endpoints.events], endpoint: folder.ipcEndpoint("proxy")),
                directory: nil, logger: Self.logger)
            let client = try CallsBusClient(
                configuration: BusClientConfiguration(
                    requestEndpoint: bus.endpoints.request, eventsEndpoint: folder.ipcEndpoint("proxy"),
                    requestTimeout: .seconds(15)),
                logger: Self.logger)
            try await run([proxy, client]) {
                #expect(try await proxy.endpoint() == folder.ipcEndpoint("proxy"))
                var iterator = try await client.events(for: TestDirectory.admin, prefix: EventTopic.allCalls)
                    .makeAsyncIterator()
                for number in 0..<20 { try await report(client, callId: "via-proxy-\(number)") }
                var seqs: [UInt64] = []
                while seqs.count < 20, let item = try await iterator.next() {
                    if case .event(let event) = item { seqs.append(event.seq) }
                }
                #expect(seqs == Array(1...20))
            }
        }
    }

    @Test func bindingBeyondLoopbackWithoutCurveIsRefused() async throws {
        let proxy = try CallsProxyService(
            configuration: ProxyConfiguration(endpoint: "tcp://0.0.0.0:0"), directory: nil, logger: Self.logger)
        let error = await #expect(throws: ProxyError.self) { try await proxy.run() }
        #expect(error?.code == .insecureBind)
        #expect(error?.message.hasPrefix("refusing to bind tcp://0.0.0.0:0 beyond loopback without CURVE") == true)
        await #expect(throws: ProxyError.self) { try await proxy.endpoint() }
    }

    @Test func aClientsFolderNeedsTheDirectoryAndAUsableCertificate() async throws {
        let folder = TemporaryDirectory()
        defer { folder.remove() }
        let proxy = try CallsProxyService(
            configuration: ProxyConfiguration(
                endpoint: folder.ipcEndpoint("proxy"), curveSecretKeyFile: folder.file("missing_secret"),
                curveClients: folder.path),
            directory: nil, logger: Self.logger)
        let error = await #expect(throws: ProxyError.self) { try await proxy.run() }
        #expect(error?.code == .curveUnusable)
        #expect(error?.message == "--curve-clients needs --directory: the principals its certificates name")
    }

    @Test func anUnreadableCertificateIsNamed() async throws {
        let folder = TemporaryDirectory()
        defer { folder.remove() }
        let proxy = try CallsProxyService(
            configuration: ProxyConfiguration(
                endpoint: folder.ipcEndpoint("proxy"), curveSecretKeyFile: folder.file("missing_secret"),
                curveClients: folder.path),
            directory: TestDirectory.standard, logger: Self.logger)
        let error = await #expect(throws: ProxyError.self) { try await proxy.run() }
        #expect(error?.message.contains("missing_secret") == true, "\(String(describing: error))")
    }
}
