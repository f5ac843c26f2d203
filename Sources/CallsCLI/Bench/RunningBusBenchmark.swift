import CallsJSON
import CallsLoad
import Logging
import ZMQ

/// `calls.get` against a bus that is already running (its calls, its process, perhaps its
/// machine), beside the raw ROUTER baseline started here, measured in the same run by clients of
/// this process.
struct RunningBusBenchmark: Sendable, Encodable {
    /// The bus's request endpoint.
    var endpoint: String
    /// Who asked.
    var user: String
    /// Both servers, per load shape.
    var requests: RequestBenchmark.Result

    /// Runs every load shape against the bus at `endpoint` and the baseline.
    /// - Parameters:
    ///   - endpoint: the running bus's request endpoint.
    ///   - user: who asks; it must see calls (an admin sees them all).
    ///   - seconds: measured time per load shape and server.
    ///   - maxRequests: requests per load shape and server, at most.
    ///   - logger: progress, one line per load shape.
    /// - Throws: ``CallsLoad/BenchError`` when the bus does not answer or shows `user` no call to read.
    static func run(endpoint: String, user: String, seconds: Double, maxRequests: Int, logger: Logger) async throws
        -> RunningBusBenchmark
    {
        let callIds = try await visibleCallIds(endpoint: endpoint, user: user)
        let requests = try await RequestBenchmark.run(
            endpoint: endpoint, callIds: callIds, user: user, seconds: seconds, maxRequests: maxRequests,
            logger: logger)
        return RunningBusBenchmark(endpoint: endpoint, user: user, requests: requests)
    }

    /// The report: what was measured, then the table.
    var markdown: String {
        """
        ## `calls.get` on \(endpoint), beside a raw ROUTER baseline

        The bus under test holds \(String(count: requests.calls)) calls that `\(user)` may see; requests \
        pick among them at random. The baseline is a raw ROUTER started in this process (plain ZeroMQ), \
        answering every request with the same \(requests.replyBytes)-byte reply. Both were loaded alike \
        by the same clients, in \(RequestBenchmark.slices) alternating slices per load.


        """ + requests.markdownTable(baselineName: "baseline", serviceName: "bus under test") + "\n"
    }

    /// The ids `calls.list` shows `user`, at most 1,000.
    private static func visibleCallIds(endpoint: String, user: String) async throws -> [String] {
        let context = try Context()
        return try await SocketLoop.run(name: "bench-list") {
            let socket = try Socket(.dealer, context: context, linger: .zero)
            try socket.connect(endpoint)
            var request = JSONWriter()
            request.value(.object(["op": "calls.list", "user": .string(user)]))
            try socket.send(multipart: [[], request.bytes])
            guard let reply = try socket.receiveMultipart(timeout: .seconds(5)), let body = reply.last else {
                throw BenchError("the bus at \(endpoint) did not answer calls.list within 5 s")
            }
            guard case .object(let fields) = try JSONValue(parsing: body.bytes),
                case .array(let calls)? = fields["calls"]
            else {
                throw BenchError("the bus refused calls.list as '\(user)': \(body.string)")
            }
            let ids = calls.compactMap { $0.objectValue?["id"]?.stringValue }.prefix(1_000)
            guard !ids.isEmpty else {
                throw BenchError("the bus shows '\(user)' no call to read: start `calls simulate` first")
            }
            return Array(ids)
        }
    }
}
