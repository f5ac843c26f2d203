import Testing
import ZMQ

@Suite(.timeLimit(.minutes(1)))
struct TimeoutTests {
    @Test func receiveWithTimeoutReturnsNothingWhenNothingCame() throws {
        let context = try Context()
        let socket = try Socket.pull(in: context, bindingTo: "inproc://quiet")
        #expect(try socket.receive(timeout: .milliseconds(20)) == nil)
        #expect(try socket.receiveMultipart(timeout: .milliseconds(20)) == nil)
        #expect(try socket.tryReceive() == nil)
        #expect(try socket.tryReceiveMultipart() == nil)
        #expect(try socket.waitUntilReadable(timeout: .zero) == false)
    }

    @Test func receiveTimeoutOptionEndsABlockingReceive() throws {
        let context = try Context()
        let socket = try Socket.pull(in: context, bindingTo: "inproc://quiet-option")
        try socket.set(.receiveTimeout, .milliseconds(20))
        let error = try #require(throws: ZMQError.self) { try socket.receive() }
        #expect(error.code == .wouldBlock)
        #expect(error.call == "zmq_msg_recv")
    }

    @Test func sendTimeoutFiresWithoutPeer() throws {
        let context = try Context()
        let socket = try Socket(.push, context: context)
        // Without `immediate`, a connecting socket queues for a peer that may come later.
        try socket.set(.immediate, true)
        try socket.set(.sendTimeout, .milliseconds(20))
        try socket.connect("tcp://127.0.0.1:1")
        let error = try #require(throws: ZMQError.self) { try socket.send("lost") }
        #expect(error.code == .wouldBlock)
        #expect(try socket.trySend(Array("lost".utf8)) == false)
        #expect(try socket.trySend(multipart: [[UInt8(1)], [2]]) == false)
    }

    @Test func aFrameThatArrivesInTimeIsReturned() throws {
        let context = try Context()
        let pull = try Socket.pull(in: context, bindingTo: "inproc://in-time")
        let push = try Socket.push(in: context, connectingTo: "inproc://in-time")
        try push.send(multipart: [Array("a".utf8), Array("b".utf8)])
        let frames = try #require(try pull.receiveMultipart(timeout: .seconds(5)))
        #expect(frames.map(\.string) == ["a", "b"])
    }
}
