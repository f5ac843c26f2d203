package import ZMQ

/// Runs a load shape against one endpoint: a thread per client, all starting together.
package enum LoadRunner {
    /// Connects `shape.clients` clients, warms each up, measures for `seconds`, and returns what
    /// every client measured, in client order.
    /// - Parameters:
    ///   - context: the clients' context (one for all clients of the run).
    ///   - endpoint: the server's request endpoint.
    ///   - source: the requests.
    ///   - seconds: how long to keep sending.
    ///   - maxRequests: requests of all clients together, at most.
    ///   - recordSendTimes: also return each request's send time.
    /// - Throws: ``BenchError`` when a client cannot connect or warm up.
    package static func run(
        _ shape: LoadShape, context: Context, endpoint: String, source: RequestSource, seconds: Double,
        maxRequests: Int, recordSendTimes: Bool = false
    ) async throws -> [LoadClient.Outcome] {
        let gate = StartGate(parties: shape.clients)
        let perClient = max(1, maxRequests / shape.clients)
        let duration = MonotonicClock.nanoseconds(seconds)
        return try await withThrowingTaskGroup(of: (Int, LoadClient.Outcome).self) { group in
            for client in 0..<shape.clients {
                group.addTask {
                    let outcome = try await SocketLoop.run(name: "bench-client-\(client)") {
                        let loadClient = try LoadClient(context: context, endpoint: endpoint)
                        try loadClient.warmUp(with: source.warmUp, count: 20)
                        let start = try gate.arriveAndWait()
                        return try loadClient.run(
                            client: client, source: source, inFlight: shape.inFlight, start: start,
                            deadline: start + duration, maxRequests: perClient, recordSendTimes: recordSendTimes)
                    }
                    return (client, outcome)
                }
            }
            var outcomes: [(Int, LoadClient.Outcome)] = []
            for try await outcome in group { outcomes.append(outcome) }
            return outcomes.sorted { $0.0 < $1.0 }.map(\.1)
        }
    }
}
