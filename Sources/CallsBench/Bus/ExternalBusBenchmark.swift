import Calls
import CallsJSON
import CallsLoad
public import Logging
import ZMQ

/// `calls.get` against a bus that is already running somewhere (its calls, its machine), beside
/// the raw ROUTER baseline started here, measured in the same run.
public enum ExternalBusBenchmark {
    /// Runs every load shape against the bus at `endpoint` and the baseline, and returns the
    /// Markdown section.
    /// - Parameters:
    ///   - endpoint: the running bus's request endpoint.
    ///   - user: who asks; it must see calls (an admin sees them all).
    ///   - settings: durations and sizes.
    ///   - logger: progress, one line per scenario.
    /// - Throws: ``BenchError`` when the bus does not answer or shows `user` no call to read.
    public static func markdown(endpoint: String, user: String, settings: BenchSettings, logger: Logger) async throws
        -> String
    {
        let callIds = try await visibleCallIds(endpoint: endpoint, user: user)
        let result = try await RequestBenchmark.run(
            endpoint: endpoint, callIds: callIds, user: user, seconds: settings.scenarioSeconds,
            maxRequests: settings.maxRequestsPerShape, logger: logger)
        return """
            ## `calls.get` on \(endpoint), beside a raw ROUTER baseline

            The bus under test holds \(String(count: callIds.count)) calls that `\(user)` may see; requests \
            pick among them at random. The baseline is a raw ROUTER started here, answering with the \
            same \(result.replyBytes)-byte reply. Both were loaded alike, in alternating slices.


            """ + result.markdownTable(baselineName: "baseline", serviceName: "bus under test") + "\n"
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
