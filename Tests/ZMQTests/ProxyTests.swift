import Foundation
import Testing
import ZMQ

/// An XSUB/XPUB fan-out through libzmq's proxy, steered from another thread.
@Suite(.timeLimit(.minutes(1)))
struct ProxyTests {
    /// Runs a proxy from `upstream` (connected) to `downstream` (bound) on a thread of its own,
    /// with its control socket at `control`; returns when the proxy does.
    private func runProxy(
        context: Context, upstream: String, downstream: String, control: String, ready: ReadySignal<Void>
    ) async throws {
        try await SocketLoop.run(name: "test-proxy", onCancel: { context.shutdown() }) {
            let frontend = try Socket(.extendedSubscriber, context: context)
            try frontend.connect(upstream)
            let backend = try Socket(.extendedPublisher, context: context)
            try backend.bind(downstream)
            let controlSocket = try Socket(.pair, context: context)
            try controlSocket.bind(control)
            ready.resolve(.success(()))
            try Proxy.run(frontend: frontend, backend: backend, control: controlSocket)
        }
    }

    @Test func eventsGoThroughSubscriptionsGoUpAndTerminateStopsIt() async throws {
        let context = try Context()
        let name = UUID().uuidString
        let (upstream, downstream, control) = ("inproc://up-\(name)", "inproc://down-\(name)", "inproc://ctl-\(name)")
        let ready = ReadySignal<Void>()
        async let proxy: Void = runProxy(
            context: context, upstream: upstream, downstream: downstream, control: control, ready: ready)
        try await ready.value()
        let statistics = try await SocketLoop.run(name: "test-ends") { () throws -> ProxyStatistics? in
            let publisher = try Socket(.publisher, context: context)
            try publisher.bind(upstream)
            let subscriber = try Socket(.subscriber, context: context)
            try subscriber.set(.subscribe, "calls/")
            try subscriber.connect(downstream)
            // The subscription needs a moment to travel up through the proxy: publish until it arrives.
            var received: [Message]?
            while received == nil {
                try publisher.send(multipart: [Data("devices/x".utf8), Data("not wanted".utf8)])
                try publisher.send(multipart: [Data("calls/a/1".utf8), Data("{}".utf8)])
                received = try subscriber.receiveMultipart(timeout: .milliseconds(20))
            }
            #expect(received?.map(\.string) == ["calls/a/1", "{}"])
            let controller = try Socket(.pair, context: context)
            try controller.connect(control)
            let statistics = try Proxy.statistics(over: controller, timeout: .seconds(5))
            try Proxy.terminate(over: controller)
            return statistics
        }
        try await proxy
        let counts = try #require(statistics)
        #expect(counts.frontendReceivedMessages >= 1)
        // The one subscription went up, and only the wanted topic came down.
        #expect(counts.backendReceivedMessages >= 1)
        #expect(counts.frontendSentMessages >= 1)
        #expect(counts.backendSentMessages >= 1)
        #expect(counts.backendSentMessages <= counts.frontendReceivedMessages)
    }

    @Test func aContextShutdownEndsTheProxyAsTerminated() async throws {
        let context = try Context()
        let name = UUID().uuidString
        let ready = ReadySignal<Void>()
        async let proxy: Void = runProxy(
            context: context, upstream: "inproc://up-\(name)", downstream: "inproc://down-\(name)",
            control: "inproc://ctl-\(name)", ready: ready)
        try await ready.value()
        context.shutdown()
        do {
            try await proxy
            Issue.record("the proxy must end with an error")
        } catch let error as ZMQError {
            #expect(error.isTerminated)
        }
    }
}
