import Logging
import ZMQ

/// `calls.get` against the real service beside the raw ROUTER baseline, for each load shape, in
/// the same run: the service's cost above the floor of ZeroMQ and the clients themselves.
enum RequestBenchmark {
    /// One load shape against both servers.
    struct Comparison: Sendable, Encodable {
        /// The load.
        var shape: LoadShape
        /// Against the raw ROUTER.
        var baseline: LoadResult
        /// Against the service.
        var service: LoadResult
        /// service req/s ÷ baseline req/s.
        var throughputRatio: Double
        /// service p50 ÷ baseline p50.
        var p50Ratio: Double
    }

    /// What the scenario measured.
    struct Result: Sendable, Encodable {
        /// Calls the service held.
        var calls: Int
        /// The size of a `calls.get` reply, which the baseline's fixed reply copies.
        var replyBytes: Int
        /// One comparison per load shape.
        var comparisons: [Comparison]
    }

    /// Measures the reply size, starts the baseline and runs every shape against both servers.
    /// - Parameters:
    ///   - endpoint: the service's request endpoint.
    ///   - callIds: the calls the service holds (requests pick among them at random).
    ///   - user: who asks (the fixtures' admin unless the bus is someone else's).
    /// - Throws: ``BenchError`` when the service does not answer as expected.
    static func run(
        endpoint: String, callIds: [String], user: String = BenchFixtures.admin, settings: BenchSettings, logger: Logger
    ) async throws -> Result {
        let context = try Context()
        let reply = try await sampleReply(context: context, endpoint: endpoint, id: callIds[0], user: user)
        let source = RequestSource.randomGets(of: callIds, user: user)
        let comparisons = try await BaselineRouter.withRouter(reply: reply) { baselineEndpoint in
            var comparisons: [Comparison] = []
            for shape in LoadShape.requestShapes {
                logger.info("bench scenario", metadata: ["bench.scenario": "calls.get \(shape.name)"])
                let (baseline, service) = try await alternate(
                    shape, context: context, baseline: baselineEndpoint, service: endpoint, source, settings)
                comparisons.append(
                    Comparison(
                        shape: shape, baseline: baseline, service: service,
                        throughputRatio: service.requestsPerSecond / baseline.requestsPerSecond,
                        p50Ratio: service.latency.p50Microseconds / baseline.latency.p50Microseconds))
            }
            return comparisons
        }
        return Result(calls: callIds.count, replyBytes: reply.count, comparisons: comparisons)
    }

    /// Slices of the measured time alternate between the servers, so that a change in the machine's
    /// load during the run (other processes, frequency) weighs on both alike.
    private static let slices = 3

    private static func alternate(
        _ shape: LoadShape, context: Context, baseline: String, service: String, _ source: RequestSource,
        _ settings: BenchSettings
    ) async throws -> (baseline: LoadResult, service: LoadResult) {
        var runs: [[[LoadClient.Outcome]]] = [[], []]
        for _ in 0..<slices {
            for (index, endpoint) in [baseline, service].enumerated() {
                runs[index].append(
                    try await LoadRunner.run(
                        shape, context: context, endpoint: endpoint, source: source,
                        seconds: settings.scenarioSeconds / Double(slices),
                        maxRequests: settings.maxRequestsPerShape / slices))
            }
        }
        return (LoadResult(shape: shape, runs: runs[0]), LoadResult(shape: shape, runs: runs[1]))
    }

    /// One real `calls.get` reply from the service, byte for byte.
    private static func sampleReply(context: Context, endpoint: String, id: String, user: String) async throws
        -> [UInt8]
    {
        try await SocketLoop.run(name: "bench-sample") {
            let socket = try Socket(.dealer, context: context, linger: .zero)
            try socket.connect(endpoint)
            try socket.send([UInt8](), hasMore: true)
            try socket.send(RequestSource.getFrame(id: id, user: user))
            guard let reply = try socket.receiveMultipart(timeout: .seconds(5)), reply.count == 2 else {
                throw BenchError("the service did not answer calls.get within 5 s")
            }
            let bytes = reply[1].bytes
            guard bytes.starts(with: Array(#"{"statusCode":0,"call":"#.utf8)) else {
                throw BenchError("calls.get failed: \(reply[1].string)")
            }
            return bytes
        }
    }

    /// The request goals: p50 at one client, throughput at eight lockstep and eight pipelined.
    static func goals(of result: Result) -> [GoalCheck] {
        var goals: [GoalCheck] = []
        for comparison in result.comparisons {
            switch (comparison.shape.clients, comparison.shape.inFlight) {
            case (1, 1):
                goals.append(
                    GoalCheck(
                        name: "calls.get p50, service / baseline, 1 client",
                        measured: String(format2: comparison.p50Ratio),
                        target: "≤ 1.25", isMet: comparison.p50Ratio <= 1.25))
            case (8, 1), (8, 8):
                let target = comparison.shape.inFlight == 1 ? 0.8 : 0.5
                goals.append(
                    GoalCheck(
                        name: "calls.get req/s, service / baseline, \(comparison.shape.name)",
                        measured: String(percent: comparison.throughputRatio), target: "≥ \(String(percent: target))",
                        isMet: comparison.throughputRatio >= target))
            default:
                break
            }
        }
        return goals
    }
}
