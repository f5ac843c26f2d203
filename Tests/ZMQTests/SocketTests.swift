import Foundation
import Testing
import ZMQ

@Suite(.timeLimit(.minutes(1)))
struct SocketTests {
    @Test(arguments: Transport.allCases)
    func requestAndReplyTakeTurns(transport: Transport) throws {
        let context = try Context()
        let server = try Socket.reply(in: context, bindingTo: transport.endpoint())
        let endpoint = try server.get(.lastEndpoint)
        let client = try Socket.request(in: context, connectingTo: endpoint)

        for number in 1...3 {
            try client.send("ping \(number)")
            #expect(try server.receive().string == "ping \(number)")
            try server.send("pong \(number)")
            #expect(try client.receive().string == "pong \(number)")
        }
    }

    @Test(arguments: Transport.allCases)
    func routerSeesEachDealerByRoutingId(transport: Transport) throws {
        let context = try Context()
        let router = try Socket.router(in: context, bindingTo: transport.endpoint())
        let endpoint = try router.get(.lastEndpoint)
        let alice = try Socket(.dealer, context: context)
        try alice.set(.routingId, Array("alice".utf8))
        try alice.connect(endpoint)
        let bob = try Socket.dealer(in: context, connectingTo: endpoint)

        try alice.send(multipart: [Data(), Data("from alice".utf8)])
        let request = try router.receiveMultipart()
        #expect(request.map(\.string) == ["alice", "", "from alice"])

        try bob.send("from bob")
        let other = try router.receiveMultipart()
        #expect(other.count == 2)
        #expect(other[1].string == "from bob")

        try router.send(multipart: [Array("alice".utf8), [], Array("reply".utf8)])
        #expect(try alice.receiveMultipart().map(\.string) == ["", "reply"])
        try router.send(multipart: [other[0].bytes, Array("to bob".utf8)])
        #expect(try bob.receive().string == "to bob")
    }

    @Test(arguments: Transport.allCases)
    func subscriberGetsOnlyItsPrefix(transport: Transport) throws {
        let context = try Context()
        let publisher = try Socket.publisher(in: context, bindingTo: transport.endpoint())
        let subscriber = try Socket.subscriber(
            in: context,
            connectingTo: try publisher.get(.lastEndpoint),
            topics: ["calls/agent-1/"]
        )
        // Slow joiner: publish until the subscription has reached the publisher.
        var first: [Message]?
        while first == nil {
            try publisher.send(multipart: ["calls/agent-2/c9", "not mine"].map { Array($0.utf8) })
            try publisher.send(multipart: ["calls/agent-1/c1", "mine"].map { Array($0.utf8) })
            first = try subscriber.receiveMultipart(timeout: .milliseconds(20))
        }
        #expect(first?.map(\.string) == ["calls/agent-1/c1", "mine"])
        try publisher.send(multipart: ["calls/agent-2/c9", "not mine"].map { Array($0.utf8) })
        try publisher.send(multipart: ["calls/agent-1/c2", "also mine"].map { Array($0.utf8) })
        var seen: [String] = []
        while let frames = try subscriber.receiveMultipart(timeout: .milliseconds(200)) {
            #expect(frames[0].string.hasPrefix("calls/agent-1/"))
            seen.append(frames[1].string)
        }
        #expect(seen.last == "also mine")
        #expect(!seen.contains("not mine"))
    }

    @Test(arguments: Transport.allCases)
    func pushSpreadsToPullInOrder(transport: Transport) throws {
        let context = try Context()
        let pull = try Socket.pull(in: context, bindingTo: transport.endpoint())
        let push = try Socket.push(in: context, connectingTo: try pull.get(.lastEndpoint))
        for number in 0..<100 { try push.send("job \(number)") }
        for number in 0..<100 { #expect(try pull.receive().string == "job \(number)") }
    }

    @Test func aLongMessageIsReadKeepingOnlyItsFirstFrames() throws {
        let context = try Context()
        let router = try Socket.router(in: context, bindingTo: "inproc://keeping")
        let dealer = try Socket.dealer(in: context, connectingTo: "inproc://keeping")
        try dealer.send(multipart: (0..<10).map { Array("frame \($0)".utf8) })
        try dealer.send(multipart: [Array("alone".utf8)])
        #expect(try router.waitUntilReadable(timeout: .seconds(5)))
        let long = try #require(try router.tryReceiveMultipart(keepingAtMost: 3))
        #expect(long.total == 11, "the routing id and ten frames")
        #expect(long.frames.count == 3)
        #expect(long.frames.dropFirst().map(\.string) == ["frame 0", "frame 1"])
        // The rest of the long message was consumed: the next read is the next message.
        let short = try #require(try router.tryReceiveMultipart(keepingAtMost: 3))
        #expect(short.total == 2)
        #expect(short.frames.last?.string == "alone")
        #expect(try router.tryReceiveMultipart(keepingAtMost: 3) == nil)
    }

    @Test func pairTalksBothWays() throws {
        let context = try Context()
        let left = try Socket(.pair, context: context)
        let endpoint = try left.bind(Transport.inproc.endpoint())
        let right = try Socket(.pair, context: context)
        try right.connect(endpoint)
        try left.send("left")
        try right.send("right")
        #expect(try right.receive().string == "left")
        #expect(try left.receive().string == "right")
    }

    @Test func extendedPublisherSeesSubscriptionsAndWelcomes() throws {
        let context = try Context()
        let publisher = try Socket(.extendedPublisher, context: context)
        try publisher.set(.welcomeMessage, Array("welcome".utf8))
        let endpoint = try publisher.bind(Transport.inproc.endpoint())
        let subscriber = try Socket(.extendedSubscriber, context: context)
        // The welcome message only passes a subscriber already subscribed to it.
        try subscriber.send([UInt8(1)] + Array("welcome".utf8))
        try subscriber.connect(endpoint)

        let subscription = try publisher.receive()
        #expect(subscription.bytes == [1] + Array("welcome".utf8))
        #expect(try subscriber.receive().string == "welcome")
    }

    @Test func sixteenMebibyteMultipartRoundTripsIntact() throws {
        let context = try Context()
        let server = try Socket.reply(in: context, bindingTo: Transport.tcp.endpoint())
        let client = try Socket.request(in: context, connectingTo: try server.get(.lastEndpoint))
        let big = (0..<(16 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 13) }
        let small = Array("header".utf8)

        try client.send(multipart: [small, big, []])
        let received = try server.receiveMultipart()
        #expect(received.map(\.count) == [small.count, big.count, 0])
        #expect(received[1].bytes == big)
        try server.send(received[1].data)
        #expect(try client.receive().bytes == big)
    }

    @Test func bindReturnsTheEphemeralPortActuallyBound() throws {
        let context = try Context()
        let socket = try Socket(.reply, context: context)
        let bound = try socket.bind("tcp://127.0.0.1:*")
        let port = try #require(Int(bound.split(separator: ":").last ?? ""))
        #expect(bound.hasPrefix("tcp://127.0.0.1:"))
        #expect(port > 0)
        let zero = try Socket(.reply, context: context).bind("tcp://127.0.0.1:0")
        #expect(zero != "tcp://127.0.0.1:0")
        #expect(zero != bound)
    }

    @Test func unbindAndDisconnectStopTraffic() throws {
        let context = try Context()
        let pull = try Socket(.pull, context: context)
        let endpoint = try pull.bind(Transport.tcp.endpoint())
        let push = try Socket.push(in: context, connectingTo: endpoint)
        try push.send("before")
        #expect(try pull.receive().string == "before")
        try push.disconnect(endpoint)
        try pull.unbind(endpoint)
        #expect(try push.trySend(Array("after".utf8)) == false)
        #expect(try pull.receive(timeout: .milliseconds(50)) == nil)
    }

    @Test func closingTwiceIsHarmless() throws {
        let context = try Context()
        let socket = try Socket(.dealer, context: context)
        socket.close()
        socket.close()
        #expect(socket.type == .dealer)
    }
}
