import Synchronization
import Testing
import ZMQ

@Suite(.timeLimit(.minutes(1)))
struct CurveTests {
    @Test func keyPairsRoundTripThroughZ85() throws {
        let pair = try CurveKeyPair.generate()
        #expect(pair.publicKey != pair.secretKey)
        #expect(pair.publicKey.z85.count == 40)
        #expect(CurveKey(z85: pair.publicKey.z85) == pair.publicKey)
        #expect(try CurveKeyPair(secretKey: pair.secretKey) == pair)
        #expect(try CurveKeyPair.generate() != pair)
        #expect(!pair.secretKey.description.contains(pair.secretKey.z85))
    }

    @Test func knownZ85VectorDecodes() throws {
        // The server public key from the libzmq curve test vectors (zmq_curve man page).
        let key = try #require(CurveKey(z85: "rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7"))
        #expect(key.bytes.prefix(4) == [0x54, 0xFC, 0xBA, 0x24])
        #expect(CurveKey(z85: "too short") == nil)
        #expect(CurveKey(z85: String(repeating: "\u{7F}", count: 40)) == nil)
        #expect(CurveKey(bytes: [1, 2, 3]) == nil)
    }

    @Test func clientWithTheRightServerKeyTalks() throws {
        let context = try Context()
        let serverKeys = try CurveKeyPair.generate()
        let (server, endpoint) = try curveServer(in: context, keys: serverKeys)
        let client = try curveClient(in: context, serverKey: serverKeys.publicKey, endpoint: endpoint)

        try client.send("secret hello")
        let request = try #require(try server.receiveMultipart(timeout: .seconds(10)))
        #expect(request.last?.string == "secret hello")
        try server.send(multipart: [request[0].bytes, Array("secret reply".utf8)])
        #expect(try client.receive(timeout: .seconds(10))?.string == "secret reply")
    }

    @Test func clientWithAWrongServerKeyGetsNothing() throws {
        let context = try Context()
        let (server, endpoint) = try curveServer(in: context, keys: try CurveKeyPair.generate())
        let impostorKey = try CurveKeyPair.generate().publicKey
        let client = try curveClient(in: context, serverKey: impostorKey, endpoint: endpoint)
        let plain = try Socket.dealer(in: context, connectingTo: endpoint)

        try client.send("hello?")
        try plain.send("hello in clear?")
        #expect(try server.receiveMultipart(timeout: .milliseconds(500)) == nil)
    }

    @Test func zapHandlerAdmitsKnownKeysAndNamesTheUser() async throws {
        let context = try Context()
        let serverKeys = try CurveKeyPair.generate()
        let alice = try CurveKeyPair.generate()
        let stranger = try CurveKeyPair.generate()
        let known = [alice.publicKey.bytes: "alice"]
        let seen = Mutex<[ZAPRequest]>([])
        let handler = Task.detached {
            try await SocketLoop.run(name: "zap") {
                // The one ZAP handler of the ZMQ layer, with this test's policy as its decision.
                try ZAPHandler(context: context) { request in
                    seen.withLock { $0.append(request) }
                    guard let user = request.curveKey.flatMap({ known[$0.bytes] }) else {
                        return .refuse(reason: "unknown key")
                    }
                    return .admit(userId: user)
                }
                .serve()
            }
        }
        defer { context.shutdown() }
        try await Task.sleep(for: .milliseconds(50))

        let (userId, strangerGotThrough) = try await SocketLoop.run(name: "curve-peers") {
            let (server, endpoint) = try curveServer(in: context, keys: serverKeys, zapDomain: "test")
            let aliceSocket = try curveClient(
                in: context, serverKey: serverKeys.publicKey, endpoint: endpoint, keys: alice)
            let strangerSocket = try curveClient(
                in: context, serverKey: serverKeys.publicKey, endpoint: endpoint, keys: stranger)
            try strangerSocket.send("let me in")
            try aliceSocket.send("it's me")
            let first = try server.receiveMultipart(timeout: .seconds(10))
            let second = try server.receiveMultipart(timeout: .milliseconds(300))
            return (first?.last?.userId, second != nil || first?.last?.string == "let me in")
        }
        #expect(userId == "alice")
        #expect(!strangerGotThrough)
        let requests = seen.withLock { $0 }
        #expect(requests.allSatisfy { $0.domain == "test" && $0.mechanism == "CURVE" && $0.address == "127.0.0.1" })
        #expect(Set(requests.compactMap(\.curveKey)) == [alice.publicKey, stranger.publicKey])
        context.shutdown()
        _ = await handler.result
    }

    private func curveServer(
        in context: Context,
        keys: CurveKeyPair,
        zapDomain: String? = nil
    ) throws -> (Socket, String) {
        let server = try Socket(.router, context: context)
        try server.set(.curveServer, true)
        try server.set(.curveSecretKey, keys.secretKey)
        if let zapDomain { try server.set(.zapDomain, zapDomain) }
        let endpoint = try server.bind("tcp://127.0.0.1:*")
        return (server, endpoint)
    }
}

func curveClient(
    in context: Context,
    serverKey: CurveKey,
    endpoint: String,
    keys: CurveKeyPair? = nil
) throws -> Socket {
    let keys = try keys ?? CurveKeyPair.generate()
    let client = try Socket(.dealer, context: context)
    try client.set(.curveServerKey, serverKey)
    try client.set(.curvePublicKey, keys.publicKey)
    try client.set(.curveSecretKey, keys.secretKey)
    try client.connect(endpoint)
    return client
}
