import CallsBusService
import CallsLoad
import Logging
import ZMQ

/// Call control through the bus: `InitiateTransfer` + `CompleteTransfer` pairs per second (two
/// calls changed twice, one of them created) beside `Hold` + `Retrieve` pairs (one call changed
/// twice), on the same service in alternating slices.
///
/// Every request is a `calls.operate` as the admin; each pair's second request waits for its first
/// reply, since a consult call's id comes from the `InitiateTransfer` reply. Each change is
/// committed (fsync) before its reply, so a lockstep pair is two commits long.
enum CallControlBenchmark {
    /// One pair under one load shape, over its slices.
    struct Row: Sendable, Encodable {
        /// What was measured.
        var pair: OperationPair
        /// Clients, and pairs each keeps going at once.
        var shape: LoadShape
        /// Pairs completed.
        var pairs: Int
        /// Requests refused; 0 unless the scenario is wrong.
        var refused: Int
        /// Measured seconds over the slices.
        var seconds: Double
        /// `pairs / seconds`.
        var pairsPerSecond: Double
        /// Call changes (events) per second: `pairs × callChanges / seconds`.
        var eventsPerSecond: Double
        /// From a pair's first request to its second reply.
        var latency: LatencySummary
    }

    /// Every row, in shape order: single-call pair, then transfer pair.
    struct Result: Sendable, Encodable {
        /// Established calls the service started with.
        var calls: Int
        /// The measured rows.
        var rows: [Row]
    }

    /// Loads: one client in lockstep (a pair is two commits long), and four clients running 16
    /// pairs each (commits shared by many requests).
    static let shapes = [LoadShape(clients: 1, inFlight: 1), LoadShape(clients: 4, inFlight: 16)]
    /// Slices per pair and shape, alternating single-call, transfer, single-call, transfer.
    static let slices = 2

    /// Starts a service on `calls` established calls and measures every shape.
    static func run(settings: BenchSettings, folder: ScratchDirectory, logger: Logger) async throws -> Result {
        let count = settings.isQuick ? 4_000 : 40_000
        let ids = (0..<count).map { "cc-\($0)" }
        let path = folder.file("call-control.sqlite")
        try StateSeeder.write(ids.enumerated().map { BenchFixtures.establishedCall(id: $1, index: $0) }, to: path)
        let configuration = BusConfiguration(
            statePath: path, requestEndpoint: "tcp://127.0.0.1:0", eventsEndpoint: "tcp://127.0.0.1:0")
        // Hold/Retrieve cycles on the first calls; every transfer consumes a call of the rest.
        let holdCalls = Array(ids.prefix(2_000))
        var transferCalls = ids.dropFirst(holdCalls.count)[...]
        let perTransferSlice = transferCalls.count / (shapes.count * slices)
        var serviceLogger = logger
        serviceLogger.logLevel = .warning
        let rows = try await ServiceHarness.withService(
            configuration: configuration, directory: BenchFixtures.directory, logger: serviceLogger
        ) { endpoints, _ in
            var rows: [Row] = []
            for shape in shapes {
                logger.info("bench scenario", metadata: ["bench.scenario": "call control, \(shape.name)"])
                var outcomes: [String: [OperationPairClient.Outcome]] = [:]
                for _ in 0..<slices {
                    outcomes[OperationPair.holdRetrieve.name, default: []] += try await measure(
                        .holdRetrieve, shape: shape, calls: holdCalls, endpoint: endpoints.request, settings: settings)
                    let slice = Array(transferCalls.prefix(perTransferSlice))
                    transferCalls = transferCalls.dropFirst(perTransferSlice)
                    outcomes[OperationPair.transfer.name, default: []] += try await measure(
                        .transfer, shape: shape, calls: slice, endpoint: endpoints.request, settings: settings)
                }
                for pair in [OperationPair.holdRetrieve, .transfer] {
                    rows.append(row(pair, shape: shape, outcomes: outcomes[pair.name] ?? []))
                }
            }
            return rows
        }
        return Result(calls: count, rows: rows)
    }

    /// One slice: `shape.clients` threads, the calls split between them, for half a scenario.
    private static func measure(
        _ pair: OperationPair, shape: LoadShape, calls: [String], endpoint: String, settings: BenchSettings
    ) async throws -> [OperationPairClient.Outcome] {
        let context = try Context()
        let gate = StartGate(parties: shape.clients)
        let duration = MonotonicClock.nanoseconds(settings.scenarioSeconds / Double(slices))
        let share = calls.count / shape.clients
        return try await withThrowingTaskGroup(of: OperationPairClient.Outcome.self) { group in
            for client in 0..<shape.clients {
                let mine = Array(calls[client * share..<(client + 1) * share])
                group.addTask {
                    try await SocketLoop.run(name: "bench-control-\(client)") {
                        let pairClient = try OperationPairClient(
                            context: context, endpoint: endpoint, pair: pair, user: BenchFixtures.admin)
                        try pairClient.warmUp(callId: mine[0], count: 20)
                        let start = try gate.arriveAndWait()
                        return try pairClient.run(
                            callIds: mine, chains: shape.inFlight, start: start, deadline: start + duration)
                    }
                }
            }
            var outcomes: [OperationPairClient.Outcome] = []
            for try await outcome in group { outcomes.append(outcome) }
            return outcomes
        }
    }

    private static func row(_ pair: OperationPair, shape: LoadShape, outcomes: [OperationPairClient.Outcome]) -> Row {
        // Slices are measured one after the other: their lengths add up.
        var seconds = 0.0
        for slice in stride(from: 0, to: outcomes.count, by: shape.clients) {
            let clients = outcomes[slice..<min(slice + shape.clients, outcomes.count)]
            let start = clients.map(\.start).min() ?? 0
            let end = clients.map(\.end).max() ?? start
            seconds += MonotonicClock.seconds(from: start, to: max(start, end))
        }
        let latencies = outcomes.flatMap(\.pairLatencies)
        let pairs = latencies.count
        return Row(
            pair: pair, shape: shape, pairs: pairs, refused: outcomes.reduce(0) { $0 + $1.refused }, seconds: seconds,
            pairsPerSecond: seconds > 0 ? Double(pairs) / seconds : 0,
            eventsPerSecond: seconds > 0 ? Double(pairs * pair.callChanges) / seconds : 0,
            latency: LatencySummary(nanoseconds: latencies))
    }
}
