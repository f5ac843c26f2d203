import Testing
import ZMQ

@Suite(.timeLimit(.minutes(1)))
struct ZMQErrorTests {
    @Test(arguments: ["nonsense", "tcp://", "bogus://x", "tcp://127.0.0.1:notaport"])
    func badEndpointNamesTheFailingCall(endpoint: String) throws {
        let context = try Context()
        let socket = try Socket(.reply, context: context)
        let error = try #require(throws: ZMQError.self) { try socket.bind(endpoint) }
        #expect(error.call == "zmq_bind")
        #expect(!error.message.isEmpty)
        #expect(error.errno != 0)
        #expect(error.description.contains("zmq_bind failed"))
    }

    @Test func addressInUseIsItsOwnCode() throws {
        let context = try Context()
        let first = try Socket(.reply, context: context)
        let endpoint = try first.bind("tcp://127.0.0.1:*")
        let second = try Socket(.reply, context: context)
        let error = try #require(throws: ZMQError.self) { try second.bind(endpoint) }
        #expect(error.code == .addressInUse)
        #expect(error == ZMQError(errno: error.errno, call: "elsewhere"))
    }

    @Test func requestSocketRefusesToSendTwice() throws {
        let context = try Context()
        let server = try Socket.reply(in: context, bindingTo: "inproc://lockstep")
        let client = try Socket.request(in: context, connectingTo: "inproc://lockstep")
        try client.send("first")
        let error = try #require(throws: ZMQError.self) { try client.send("second") }
        #expect(error.code == .invalidState)
        #expect(try server.receive().string == "first")
    }
}
