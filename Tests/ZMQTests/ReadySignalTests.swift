import Testing
import ZMQ

@Suite(.timeLimit(.minutes(1)))
struct ReadySignalTests {
    @Test func aLoopTellsWaitersItIsBound() async throws {
        let context = try Context()
        let bound = ReadySignal<String>()
        let stop = try Mailbox<Void>()
        async let loop: Void = SocketLoop.run(name: "ready-signal") {
            let socket = try Socket(.reply, context: context)
            bound.resolve(.success(try socket.bind("tcp://127.0.0.1:*")))
            let poller = Poller()
            poller.register(stop)
            try poller.poll(timeout: .seconds(30))
        }
        let first = try await bound.value()
        let second = try await bound.value()
        #expect(first.hasPrefix("tcp://127.0.0.1:"))
        #expect(second == first)
        bound.resolve(.success("ignored: the signal is settled once"))
        #expect(try await bound.value() == first)
        stop.post(())
        try await loop
    }

    @Test func aLoopThatCannotStartHandsItsErrorToWaiters() async throws {
        let signal = ReadySignal<Int>()
        signal.resolve(.failure(ZMQError(errno: 98, call: "zmq_bind")))
        let error = await #expect(throws: ZMQError.self) { try await signal.value() }
        #expect(error?.call == "zmq_bind")
    }
}
