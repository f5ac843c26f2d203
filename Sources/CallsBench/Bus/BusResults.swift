import CallsBusService
import CallsLoad
import Logging

/// The bus scenarios' results: the real service on loopback TCP beside a raw ROUTER baseline.
struct BusResults: Sendable, Encodable {
    /// `calls.get`, service against baseline, per load shape.
    var requests: RequestBenchmark.Result
    /// Event latency against request round trip.
    var eventLatency: EventBenchmark.Latency
    /// Event publishing rate.
    var eventThroughput: EventBenchmark.Throughput
    /// Startup on a large state file.
    var startup: StartupBenchmark.Result
    /// The bus thread's steps without sockets.
    var servicePath: ServicePathBenchmark.Result
    /// Transfer pairs beside single-call pairs.
    var callControl: CallControlBenchmark.Result
    /// Events to many subscribers, directly and through `calls-proxy`.
    var fanOut: FanOutBenchmark.Result
    /// The core's batches committed to SQLite and PostgreSQL; `nil` without `--postgres-url`.
    var storeCommit: StoreCommitBenchmark.Result?

    /// Runs every bus scenario: one service (preloaded calls) for requests and events, then a
    /// second one on a large state file for startup.
    /// - Throws: ``BenchError`` or the service's error when a scenario cannot run.
    static func measure(settings: BenchSettings, logger: Logger) async throws -> BusResults {
        var serviceLogger = logger
        // The service's own info lines (started, stopped) would interleave with the progress lines.
        serviceLogger.logLevel = .warning
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        logger.info("bench scenario", metadata: ["bench.scenario": "service path without sockets"])
        let servicePath = try ServicePathBenchmark.run(settings: settings, folder: scratch)
        logger.info("bench scenario", metadata: ["bench.scenario": "commits on SQLite and PostgreSQL"])
        let databases = try settings.postgresURL.map(BenchDatabases.init(url:))
        let storeCommit: StoreCommitBenchmark.Result?
        do {
            storeCommit = try StoreCommitBenchmark.run(
                postgresURL: try await databases?.make(), settings: settings, folder: scratch)
        } catch {
            await databases?.dropAll()
            throw error
        }
        await databases?.dropAll()
        let ids = (0..<settings.preloadedCalls).map(BenchFixtures.preloadedCallId)
        let path = scratch.file("state.sqlite")
        try StateSeeder.write(ids.enumerated().map { BenchFixtures.establishedCall(id: $1, index: $0) }, to: path)
        let configuration = BusConfiguration(
            statePath: path, requestEndpoint: "tcp://127.0.0.1:0", eventsEndpoint: "tcp://127.0.0.1:0")
        let (requests, latency, throughput, fanOut) = try await ServiceHarness.withService(
            configuration: configuration, directory: BenchFixtures.directory, logger: serviceLogger
        ) { endpoints, _ in
            let requests = try await RequestBenchmark.run(
                endpoint: endpoints.request, callIds: ids, user: BenchFixtures.admin,
                seconds: settings.scenarioSeconds, maxRequests: settings.maxRequestsPerShape, logger: logger)
            // Latency first: the publishing run leaves hundreds of thousands of calls behind.
            logger.info("bench scenario", metadata: ["bench.scenario": "event latency"])
            let latency = try await EventBenchmark.latency(endpoints: endpoints, settings: settings)
            logger.info("bench scenario", metadata: ["bench.scenario": "event publishing"])
            let throughput = try await EventBenchmark.throughput(endpoints: endpoints, settings: settings)
            logger.info("bench scenario", metadata: ["bench.scenario": "events to many subscribers"])
            let fanOut = try await FanOutBenchmark.run(endpoints: endpoints, settings: settings, logger: serviceLogger)
            return (requests, latency, throughput, fanOut)
        }
        let callControl = try await CallControlBenchmark.run(settings: settings, folder: scratch, logger: logger)
        logger.info("bench scenario", metadata: ["bench.scenario": "startup"])
        let startup = try await StartupBenchmark.run(settings: settings, serviceLogger: serviceLogger)
        return BusResults(
            requests: requests, eventLatency: latency, eventThroughput: throughput, startup: startup,
            servicePath: servicePath, callControl: callControl, fanOut: fanOut, storeCommit: storeCommit)
    }

    /// The in-process request goals: looser than the goals measured from outside, since here
    /// the clients share the bus's process.
    static let requestGoals = RequestBenchmark.Goals(p50Ratio: 1.25, lockstepShare: 0.8, pipelinedShare: 0.5)

    /// Every bus goal.
    var goals: [GoalCheck] {
        RequestBenchmark.goals(of: requests, Self.requestGoals, subject: "service / baseline, in-process")
            + EventBenchmark.goals(throughput: eventThroughput, latency: eventLatency)
            + StartupBenchmark.goals(of: startup)
    }
}
