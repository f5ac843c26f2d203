import ZMQ

/// The floor the service is compared with: a raw ROUTER on one thread, through the same ZMQ layer,
/// that answers every request at once with the same fixed bytes (a real `calls.get` reply).
///
/// It polls and drains with `tryReceiveMultipart` as the service's loop does, and sends back
/// every frame up to the empty delimiter, so a client cannot tell it from the service except by
/// its speed: what remains is the cost of ZeroMQ, the loop and the client.
package enum BaselineRouter {
    /// Binds a ROUTER to an ephemeral loopback port on a thread of its own, runs `body` with its
    /// endpoint, then stops it.
    /// - Parameters:
    ///   - reply: the frame every request gets.
    ///   - body: the measurements against it.
    /// - Throws: ``ZMQ/ZMQError`` from the router, or what `body` threw.
    package static func withRouter<Result: Sendable>(
        reply: [UInt8],
        _ body: (String) async throws -> Result
    ) async throws -> Result {
        let context = try Context()
        let stop = try Mailbox<Void>()
        let bound = ReadySignal<String>()
        return try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask {
                try await SocketLoop.run(name: "bench-baseline", onCancel: { stop.post(()) }) {
                    do {
                        try serve(reply: reply, context: context, stop: stop, bound: bound)
                    } catch {
                        bound.resolve(.failure(error))
                        throw error
                    }
                }
            }
            do {
                let result = try await body(try await bound.value())
                stop.post(())
                try await tasks.waitForAll()
                return result
            } catch {
                stop.post(())
                try? await tasks.waitForAll()
                throw error
            }
        }
    }

    private static func serve(reply: [UInt8], context: Context, stop: Mailbox<Void>, bound: ReadySignal<String>) throws
    {
        let router = try Socket(.router, context: context, linger: .zero)
        // The service's own queue limits, so that neither side queues more than the other.
        try router.set(.sendHighWaterMark, 10_000)
        try router.set(.receiveHighWaterMark, 10_000)
        bound.resolve(.success(try router.bind("tcp://127.0.0.1:0")))
        let poller = Poller()
        let routerIndex = poller.register(router)
        let stopIndex = poller.register(stop)
        while true {
            try poller.poll(timeout: .milliseconds(500))
            if poller.isReadable(at: stopIndex) { return }
            guard poller.isReadable(at: routerIndex) else { continue }
            while let frames = try router.tryReceiveMultipart() {
                let delimiter = frames.dropFirst().firstIndex { $0.count == 0 }
                let routeEnd = delimiter.map { $0 + 1 } ?? 1
                for frame in frames[..<routeEnd] { try router.send(frame, hasMore: true) }
                try router.send(reply)
            }
        }
    }
}
