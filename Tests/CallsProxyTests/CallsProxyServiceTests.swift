import Calls
import CallsBusClient
import CallsBusMessages
import CallsBusService
import CallsJSON
import CallsProxy
import CallsTesting
import Logging
import ServiceLifecycle
import Synchronization
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

    /// The proxy in front of a group: bus `a` stops and bus `b` starts on the same state; the proxy's
    /// XSUB sends its subscriptions to `b` by itself, and the client's stream carries on gap-free.
    @Test func aStreamThroughTheProxyContinuesAcrossATakeover() async throws {
        let folder = TemporaryDirectory()
        defer { folder.remove() }
        let proxy = try CallsProxyService(
            configuration: ProxyConfiguration(
                busEndpoints: [folder.ipcEndpoint("events-a"), folder.ipcEndpoint("events-b")],
                endpoint: folder.ipcEndpoint("proxy")),
            directory: nil, logger: Self.logger)
        let client = try CallsBusClient(
            configuration: BusClientConfiguration(
                requestEndpoint: "\(folder.ipcEndpoint("requests-a")),\(folder.ipcEndpoint("requests-b"))",
                eventsEndpoint: folder.ipcEndpoint("proxy"), requestTimeout: .seconds(15)),
            logger: Self.logger)
        func bus<Result: Sendable>(_ name: String, _ body: () async throws -> Result) async throws -> Result {
            try await TestBus.run(
                in: folder,
                configure: {
                    $0.requestEndpoint = folder.ipcEndpoint("requests-\(name)")
                    $0.eventsEndpoint = folder.ipcEndpoint("events-\(name)")
                }, { _ in try await body() })
        }
        try await run([proxy, client]) {
            let stream = try await bus("a") {
                let stream = try await client.events(for: TestDirectory.admin, prefix: EventTopic.allCalls, after: 0)
                for number in 0..<3 { try await report(client, callId: "before-\(number)") }
                return stream
            }
            try await bus("b") {
                // Until the subscription reaches bus b, its events may pass the proxy by; a later one
                // shows the jump and the stream replays the rest. Keep events coming until it has caught up.
                let stop = Flag()
                async let produced: Int = {
                    var count = 0
                    while !stop.isSet, count < 200 {
                        try await report(client, callId: "after-\(count)")
                        count += 1
                        try await Task.sleep(for: .milliseconds(20))
                    }
                    return count
                }()
                var iterator = stream.makeAsyncIterator()
                var seqs: [UInt64] = []
                while seqs.last.map({ $0 < 10 }) ?? true, let item = try await iterator.next() {
                    if case .event(let event) = item { seqs.append(event.seq) }
                    if case .resync = item { Issue.record("a takeover must not lose the history") }
                }
                stop.set()
                #expect(try await produced >= 7)
                #expect(seqs == Array(1...UInt64(seqs.count)))
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

/// A flag one task sets and another reads.
final class Flag: Sendable {
    private let value = Atomic<Bool>(false)
    var isSet: Bool { value.load(ordering: .acquiring) }
    func set() { value.store(true, ordering: .releasing) }
}
