import Testing
import ZMQ

@Suite(.timeLimit(.minutes(1)))
struct SocketOptionTests {
    @Test func typedOptionsReadBackWhatWasSet() throws {
        let context = try Context()
        let socket = try Socket(.dealer, context: context, linger: .milliseconds(250))
        #expect(try socket.get(.linger) == .milliseconds(250))

        try socket.set(.sendHighWaterMark, 100_000)
        try socket.set(.receiveHighWaterMark, 5)
        #expect(try socket.get(.sendHighWaterMark) == 100_000)
        #expect(try socket.get(.receiveHighWaterMark) == 5)

        #expect(try socket.get(.receiveTimeout) == nil)
        try socket.set(.receiveTimeout, .milliseconds(1500))
        try socket.set(.sendTimeout, .seconds(2))
        #expect(try socket.get(.receiveTimeout) == .milliseconds(1500))
        #expect(try socket.get(.sendTimeout) == .seconds(2))
        try socket.set(.sendTimeout, nil)
        #expect(try socket.get(.sendTimeout) == nil)

        try socket.set(.routingId, Array("worker-7".utf8))
        #expect(try socket.get(.routingId) == Array("worker-7".utf8))

        try socket.set(.immediate, true)
        #expect(try socket.get(.immediate))

        try socket.set(.heartbeatInterval, .seconds(1))
        try socket.set(.heartbeatTimeout, .seconds(3))
        try socket.set(.heartbeatTimeToLive, .seconds(6))
        #expect(try socket.get(.heartbeatInterval) == .seconds(1))
        #expect(try socket.get(.heartbeatTimeout) == .seconds(3))
        #expect(try socket.get(.heartbeatTimeToLive) == .seconds(6))

        #expect(try socket.get(.maxMessageSize) == nil)
        try socket.set(.maxMessageSize, 1 << 20)
        #expect(try socket.get(.maxMessageSize) == 1 << 20)

        try socket.set(.zapDomain, "calls")
        #expect(try socket.get(.zapDomain) == "calls")

        try socket.set(.reconnectInterval, .milliseconds(100))
        try socket.set(.reconnectIntervalMax, .seconds(1))
        #expect(try socket.get(.reconnectIntervalMax) == .seconds(1))
    }

    @Test func curveOptionsTakeKeys() throws {
        let context = try Context()
        let server = try Socket(.router, context: context)
        let keys = try CurveKeyPair.generate()
        try server.set(.curveServer, true)
        try server.set(.curveSecretKey, keys.secretKey)
        #expect(try server.get(.curveServer))
        #expect(try server.get(.curveSecretKey) == keys.secretKey)

        let client = try Socket(.dealer, context: context)
        try client.set(.curveServerKey, keys.publicKey)
        #expect(try client.get(.curveServerKey) == keys.publicKey)
    }

    @Test func writeOnlyOptionsSetAndRefuseReading() throws {
        let context = try Context()
        let router = try Socket(.router, context: context)
        try router.set(.routerMandatory, true)
        let subscriber = try Socket(.subscriber, context: context)
        try subscriber.set(.subscribe, "calls/")
        try subscriber.set(.unsubscribe, "calls/")
        let error = try #require(throws: ZMQError.self) { try subscriber.get(.subscribe) }
        #expect(error.code == .invalidArgument)
        #expect(error.call == "zmq_getsockopt")
    }

    @Test func routerMandatoryReportsAnUnknownPeer() throws {
        let context = try Context()
        let router = try Socket.router(in: context, bindingTo: "inproc://mandatory")
        try router.set(.routerMandatory, true)
        let error = try #require(throws: ZMQError.self) {
            try router.send(multipart: [Array("nobody".utf8), Array("hello".utf8)])
        }
        #expect(error.code == .hostUnreachable)
    }
}
