import Testing
import ZMQ

@Suite(.timeLimit(.minutes(1)))
struct ContextTests {
    @Test func reportsLibraryVersionAndCapabilities() {
        let version = Context.libraryVersion
        #expect(version.major >= 4)
        #expect(Context.hasCapability("curve"))
        #expect(Context.hasCapability("ipc"))
        #expect(!Context.hasCapability("no-such-capability"))
    }

    @Test func shutdownEndsABlockedReceiveOnAnotherThread() async throws {
        let context = try Context(ioThreads: 2)
        let (ready, readiness) = AsyncStream.makeStream(of: Void.self)
        let outcome = try await withThrowingTaskGroup(of: ZMQError?.self) { group in
            group.addTask {
                try await SocketLoop.run(name: "blocked-receiver") { () -> ZMQError? in
                    let socket = try Socket(.pull, context: context)
                    try socket.bind("inproc://never-sent-to")
                    readiness.yield()
                    do {
                        _ = try socket.receive()
                        return nil
                    } catch let error as ZMQError {
                        return error
                    }
                }
            }
            // The receiver may not have blocked yet; shutdown is sticky, so it fails either way.
            for await _ in ready { break }
            context.shutdown()
            return try await group.next()!
        }
        let error = try #require(outcome as ZMQError?)
        #expect(error.code == .terminated)
        #expect(error.isTerminated)
        #expect(context.isShuttingDown)
    }

    @Test func shutdownIsIdempotentAndRefusesNewSockets() throws {
        let context = try Context()
        context.shutdown()
        context.shutdown()
        #expect(throws: ZMQError.self) { try Socket(.pair, context: context) }
    }
}
