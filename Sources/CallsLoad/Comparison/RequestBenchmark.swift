package import Logging
package import ZMQ

/// `calls.get` against a bus beside the raw ROUTER baseline, for each load shape, in the same run:
/// the bus's cost above the floor of ZeroMQ and the clients themselves.
package enum RequestBenchmark {
    /// One load shape against both servers.
    package struct Comparison: Sendable, Encodable {
        /// The load.
        package var shape: LoadShape
        /// Against the raw ROUTER.
        package var baseline: LoadResult
        /// Against the bus.
        package var service: LoadResult
        /// service req/s ÷ baseline req/s.
        package var throughputRatio: Double
        /// service p50 ÷ baseline p50.
        package var p50Ratio: Double

        /// Compares two results of `shape`.
        package init(shape: LoadShape, baseline: LoadResult, service: LoadResult) {
            self.shape = shape
            self.baseline = baseline
            self.service = service
            throughputRatio = service.requestsPerSecond / baseline.requestsPerSecond
            p50Ratio = service.latency.p50Microseconds / baseline.latency.p50Microseconds
        }
    }

    /// What the scenario measured.
    package struct Result: Sendable, Encodable {
        /// Calls the bus held (requests picked among them).
        package var calls: Int
        /// The size of a `calls.get` reply, which the baseline's fixed reply copies.
        package var replyBytes: Int
        /// One comparison per load shape.
        package var comparisons: [Comparison]

        /// Creates a result.
        package init(calls: Int, replyBytes: Int, comparisons: [Comparison]) {
            self.calls = calls
            self.replyBytes = replyBytes
            self.comparisons = comparisons
        }
    }

    /// One slice of a load: `shape` against `endpoint` for `seconds`, at most `maxRequests` in all,
    /// returning what each client measured.
    package typealias Slice =
        (_ shape: LoadShape, _ endpoint: String, _ seconds: Double, _ maxRequests: Int) async throws -> [LoadClient
        .Outcome]

    /// Slices of the measured time alternate between the servers, so that a change in the machine's
    /// load during the run (other processes, frequency) weighs on both alike.
    package static let slices = 3

    /// Measures the reply size, starts the baseline in this process and runs every shape against
    /// both servers with clients of this process.
    /// - Parameters:
    ///   - endpoint: the bus's request endpoint.
    ///   - callIds: calls the bus holds that `user` may read (requests pick among them at random).
    ///   - user: who asks.
    ///   - seconds: measured time per shape and server.
    ///   - maxRequests: requests per shape and server, at most.
    ///   - logger: progress, one line per shape.
    /// - Throws: ``BenchError`` when the bus does not answer as expected.
    package static func run(
        endpoint: String, callIds: [String], user: String, seconds: Double, maxRequests: Int, logger: Logger
    ) async throws -> Result {
        let context = try Context()
        let reply = try await sampleReply(context: context, endpoint: endpoint, id: callIds[0], user: user)
        let source = RequestSource.randomGets(of: callIds, user: user)
        let comparisons = try await BaselineRouter.withRouter(reply: reply) { baselineEndpoint in
            try await compare(
                baseline: baselineEndpoint, service: endpoint, seconds: seconds, maxRequests: maxRequests,
                logger: logger
            ) { shape, endpoint, seconds, maxRequests in
                try await LoadRunner.run(
                    shape, context: context, endpoint: endpoint, source: source, seconds: seconds,
                    maxRequests: maxRequests)
            }
        }
        return Result(calls: callIds.count, replyBytes: reply.count, comparisons: comparisons)
    }

    /// Runs each of `shapes` against both servers in ``slices`` alternating slices (baseline,
    /// service, baseline…) through `slice`, and compares the merged results.
    /// - Throws: what `slice` throws.
    package static func compare(
        baseline: String, service: String, shapes: [LoadShape] = LoadShape.requestShapes, seconds: Double,
        maxRequests: Int, logger: Logger, slice: Slice
    ) async throws -> [Comparison] {
        var comparisons: [Comparison] = []
        for shape in shapes {
            logger.info("bench scenario", metadata: ["bench.scenario": "calls.get \(shape.name)"])
            var runs: [[[LoadClient.Outcome]]] = [[], []]
            for _ in 0..<slices {
                for (index, endpoint) in [baseline, service].enumerated() {
                    runs[index].append(
                        try await slice(shape, endpoint, seconds / Double(slices), maxRequests / slices))
                }
            }
            comparisons.append(
                Comparison(
                    shape: shape, baseline: LoadResult(shape: shape, runs: runs[0]),
                    service: LoadResult(shape: shape, runs: runs[1])))
        }
        return comparisons
    }

    /// One real `calls.get` reply from the bus, byte for byte: what the baseline answers with.
    /// - Throws: ``BenchError`` when the bus does not answer within 5 s or refuses.
    package static func sampleReply(context: Context, endpoint: String, id: String, user: String) async throws
        -> [UInt8]
    {
        try await SocketLoop.run(name: "bench-sample") {
            let socket = try Socket(.dealer, context: context, linger: .zero)
            try socket.connect(endpoint)
            try socket.send([UInt8](), hasMore: true)
            try socket.send(RequestSource.getFrame(id: id, user: user))
            guard let reply = try socket.receiveMultipart(timeout: .seconds(5)), reply.count == 2 else {
                throw BenchError("the bus did not answer calls.get within 5 s")
            }
            let bytes = reply[1].bytes
            guard bytes.starts(with: Array(#"{"statusCode":0,"call":"#.utf8)) else {
                throw BenchError("calls.get failed: \(reply[1].string)")
            }
            return bytes
        }
    }
}
