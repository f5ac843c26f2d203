import Calls
import CallsBusMessages
import CallsBusService
import CallsJSON
import CallsTesting
import Foundation
import Testing
import ZMQ

/// CURVE on both bus sockets, with the ZAP handler admitting the clients folder's keys.
@Suite(.timeLimit(.minutes(1)))
struct CurveTests {
    /// Keys in a folder: the bus's secret certificate and one public certificate per client.
    struct Keys {
        let folder: TemporaryDirectory
        let bus: CurveKeyPair
        var clients: [String: CurveKeyPair] = [:]

        init(principals: [String]) throws {
            folder = TemporaryDirectory()
            try FileManager.default.createDirectory(atPath: folder.file("clients"), withIntermediateDirectories: true)
            bus = try CurveKeyPair.generate()
            try CurveCertificate(publicKey: bus.publicKey, secretKey: bus.secretKey, metadata: ["principal": "bus"])
                .save(publicTo: folder.file("bus.pub"), secretTo: folder.file("bus_secret"))
            for principal in principals { try add(principal) }
        }

        mutating func add(_ principal: String) throws {
            let pair = try CurveKeyPair.generate()
            clients[principal] = pair
            try CurveCertificate(publicKey: pair.publicKey, metadata: ["principal": principal])
                .save(publicTo: folder.file("clients/\(principal)"), secretTo: nil)
        }

        func configure(_ configuration: inout BusConfiguration) {
            configuration.requestEndpoint = "tcp://127.0.0.1:*"
            configuration.eventsEndpoint = "tcp://127.0.0.1:*"
            configuration.curveSecretKeyFile = folder.file("bus_secret")
            configuration.curveClientsDirectory = folder.file("clients")
        }
    }

    /// A CURVE subscriber to every call's events, with `clientKeys`.
    static func subscriber(keys: Keys, clientKeys: CurveKeyPair, bus: TestBus) throws -> Socket {
        let socket = try Socket(.subscriber, context: bus.context)
        try socket.set(.curveServerKey, keys.bus.publicKey)
        try socket.set(.curvePublicKey, clientKeys.publicKey)
        try socket.set(.curveSecretKey, clientKeys.secretKey)
        try socket.set(.subscribe, "calls/")
        try socket.connect(bus.endpoints.events)
        return socket
    }

    /// Sends one request through a CURVE DEALER; `nil` when no reply comes (refused at the handshake).
    static func request(
        _ json: String,
        endpoint: String,
        serverKey: CurveKey?,
        clientKeys: CurveKeyPair?,
        context: Context
    ) throws -> JSONValue? {
        let socket = try Socket(.dealer, context: context)
        if let serverKey, let clientKeys {
            try socket.set(.curveServerKey, serverKey)
            try socket.set(.curvePublicKey, clientKeys.publicKey)
            try socket.set(.curveSecretKey, clientKeys.secretKey)
        }
        try socket.connect(endpoint)
        try socket.send(multipart: [[], Array(json.utf8)])
        guard let reply = try socket.receiveMultipart(timeout: .milliseconds(1500)) else { return nil }
        return try JSONValue(parsing: reply.last!.bytes)
    }

    @Test func admittedKeysTalkAndEveryOtherClientGetsNothing() async throws {
        let keys = try Keys(principals: [TestDirectory.admin, TestDirectory.agent1001])
        defer { keys.folder.remove() }
        try await TestBus.run(configure: keys.configure) { bus in
            let endpoint = bus.endpoints.request
            let results = try await SocketLoop.run(name: "curve-clients") { () -> [JSONValue?] in
                let list = #"{"op":"calls.list","user":"admin"}"#
                let stranger = try CurveKeyPair.generate()
                return [
                    try Self.request(
                        list, endpoint: endpoint, serverKey: keys.bus.publicKey, clientKeys: keys.clients["admin"],
                        context: bus.context),
                    try Self.request(
                        list, endpoint: endpoint, serverKey: keys.bus.publicKey, clientKeys: stranger,
                        context: bus.context),
                    try Self.request(
                        list, endpoint: endpoint, serverKey: stranger.publicKey, clientKeys: keys.clients["admin"],
                        context: bus.context),
                    try Self.request(list, endpoint: endpoint, serverKey: nil, clientKeys: nil, context: bus.context),
                ]
            }
            #expect(results[0]?.statusCode == 0)
            #expect(results[1] == nil, "an unknown key")
            #expect(results[2] == nil, "a wrong server key")
            #expect(results[3] == nil, "no CURVE at all")
        }
    }

    @Test func anAdmittedAgentKeyCannotActAsAnotherUser() async throws {
        let keys = try Keys(principals: [TestDirectory.agent1001])
        defer { keys.folder.remove() }
        try await TestBus.run(configure: keys.configure) { bus in
            let endpoint = bus.endpoints.request
            let (own, other) = try await SocketLoop.run(name: "curve-agent") { () -> (JSONValue?, JSONValue?) in
                let agent = keys.clients[TestDirectory.agent1001]
                return (
                    try Self.request(
                        #"{"op":"calls.list","user":"agent-1001"}"#, endpoint: endpoint, serverKey: keys.bus.publicKey,
                        clientKeys: agent, context: bus.context),
                    try Self.request(
                        #"{"op":"calls.list","user":"admin"}"#, endpoint: endpoint, serverKey: keys.bus.publicKey,
                        clientKeys: agent, context: bus.context)
                )
            }
            #expect(own?.statusCode == 0)
            #expect(other?.statusCode == 5)
        }
    }

    @Test func theEventsSocketAdmitsAnAdminButNotAnAgent() async throws {
        let keys = try Keys(principals: [TestDirectory.admin, TestDirectory.agent1001, TestDirectory.telephony])
        defer { keys.folder.remove() }
        try await TestBus.run(configure: keys.configure) { bus in
            let (adminEvent, agentEvent) = try await SocketLoop.run(name: "curve-events") { () -> (Bool, Bool) in
                func subscriber(_ principal: String) throws -> Socket {
                    try Self.subscriber(keys: keys, clientKeys: keys.clients[principal]!, bus: bus)
                }
                let admin = try subscriber(TestDirectory.admin)
                let agent = try subscriber(TestDirectory.agent1001)
                var adminSaw = false
                for number in 0..<40 where !adminSaw {
                    let event =
                        #"{"op":"telephony.event","user":"switch-1","event":{"type":"Ringing","callId":"e\#(number)","deviceId":"dev-1001"}}"#
                    let reply = try Self.request(
                        event, endpoint: bus.endpoints.request, serverKey: keys.bus.publicKey,
                        clientKeys: keys.clients[TestDirectory.telephony], context: bus.context)
                    #expect(reply?.statusCode == 0)
                    adminSaw = try admin.receiveMultipart(timeout: .milliseconds(100)) != nil
                }
                return (adminSaw, try agent.receiveMultipart(timeout: .milliseconds(500)) != nil)
            }
            #expect(adminEvent)
            #expect(!agentEvent)
        }
    }

    @Test func aNewClientIsAdmittedAfterAReload() async throws {
        let keys = try Keys(principals: [TestDirectory.admin])
        defer { keys.folder.remove() }
        let newcomer = try CurveKeyPair.generate()
        try await TestBus.run(configure: keys.configure) { bus in
            let list = #"{"op":"calls.list","user":"agent-1002"}"#
            let endpoint = bus.endpoints.request
            let before = try await SocketLoop.run(name: "curve-before") {
                try Self.request(
                    list, endpoint: endpoint, serverKey: keys.bus.publicKey, clientKeys: newcomer, context: bus.context)
            }
            #expect(before == nil)
            try CurveCertificate(publicKey: newcomer.publicKey, metadata: ["principal": TestDirectory.agent1002])
                .save(publicTo: keys.folder.file("clients/newcomer"), secretTo: nil)
            bus.service.reloadCurveClients()
            let after = try await SocketLoop.run(name: "curve-after") { () -> JSONValue? in
                for _ in 0..<10 {
                    if let reply = try Self.request(
                        list, endpoint: endpoint, serverKey: keys.bus.publicKey, clientKeys: newcomer,
                        context: bus.context)
                    {
                        return reply
                    }
                }
                return nil
            }
            #expect(after?.statusCode == 0)
        }
    }

    /// Hardening item 11: a key removed from the folder stops being served on the connection it
    /// opened before the reload, and a broken certificate beside it does not block the removal.
    @Test func aRevokedKeyIsRefusedOnItsOpenConnectionEvenBesideABrokenFile() async throws {
        let keys = try Keys(principals: [TestDirectory.agent1001, TestDirectory.agent1002])
        defer { keys.folder.remove() }
        try await TestBus.run(configure: keys.configure) { bus in
            let opened = try await SocketLoop.run(name: "curve-open") { () -> [Int?] in
                func connect(_ principal: String) throws -> Socket {
                    let socket = try Socket(.dealer, context: bus.context)
                    try socket.set(.curveServerKey, keys.bus.publicKey)
                    try socket.set(.curvePublicKey, keys.clients[principal]!.publicKey)
                    try socket.set(.curveSecretKey, keys.clients[principal]!.secretKey)
                    try socket.connect(bus.endpoints.request)
                    return socket
                }
                func ask(_ socket: Socket, as user: String) throws -> JSONValue? {
                    try socket.send(multipart: [[], Array(#"{"op":"calls.list","user":"\#(user)"}"#.utf8)])
                    return try socket.receiveMultipart(timeout: .seconds(5)).map {
                        try JSONValue(parsing: $0.last!.bytes)
                    }
                }
                let revoked = try connect(TestDirectory.agent1001)
                let kept = try connect(TestDirectory.agent1002)
                let before = [
                    try ask(revoked, as: TestDirectory.agent1001)?.statusCode,
                    try ask(kept, as: TestDirectory.agent1002)?.statusCode,
                ]
                try FileManager.default.removeItem(atPath: keys.folder.file("clients/\(TestDirectory.agent1001)"))
                try "not a certificate".write(
                    toFile: keys.folder.file("clients/broken"), atomically: true, encoding: .utf8)
                bus.service.reloadCurveClients()
                var refusal: JSONValue?
                for _ in 0..<20 {
                    refusal = try ask(revoked, as: TestDirectory.agent1001)
                    if refusal?.statusCode == 5 { break }
                    Thread.sleep(forTimeInterval: 0.05)
                }
                #expect(refusal?["statusMessage"]?.stringValue?.contains("revoked") == true)
                return before + [refusal?.statusCode, try ask(kept, as: TestDirectory.agent1002)?.statusCode]
            }
            #expect(opened == [0, 0, 5, 0])
        }
    }

    /// A subscriber whose key is revoked stops receiving events: the events socket is re-bound and
    /// every subscriber passes the gate again; one still admitted goes on receiving.
    @Test func aRevokedSubscriberStopsReceivingEvents() async throws {
        var setUp = try Keys(principals: [TestDirectory.admin, TestDirectory.telephony])
        defer { setUp.folder.remove() }
        // A second admin key, which stays.
        let staying = try CurveKeyPair.generate()
        setUp.clients["staying"] = staying
        try CurveCertificate(publicKey: staying.publicKey, metadata: ["principal": TestDirectory.admin])
            .save(publicTo: setUp.folder.file("clients/staying"), secretTo: nil)
        let keys = setUp
        try await TestBus.run(configure: keys.configure) { bus in
            let received = try await SocketLoop.run(name: "curve-revoke-events") { () -> (Bool, Bool, Bool) in
                func subscriber(_ name: String) throws -> Socket {
                    try Self.subscriber(keys: keys, clientKeys: keys.clients[name]!, bus: bus)
                }
                var number = 0
                func publish() throws {
                    number += 1
                    let event =
                        #"{"op":"telephony.event","user":"switch-1","event":{"type":"Ringing","callId":"rv\#(number)","deviceId":"dev-1001"}}"#
                    let reply = try Self.request(
                        event, endpoint: bus.endpoints.request, serverKey: keys.bus.publicKey,
                        clientKeys: keys.clients[TestDirectory.telephony], context: bus.context)
                    #expect(reply?.statusCode == 0)
                }
                /// Publishes until `socket` receives, within about two seconds.
                func receives(_ socket: Socket) throws -> Bool {
                    for _ in 0..<20 {
                        try publish()
                        if try socket.receiveMultipart(timeout: .milliseconds(100)) != nil { return true }
                    }
                    return false
                }
                let revoked = try subscriber(TestDirectory.admin)
                let stays = try subscriber("staying")
                let sawBefore = try receives(revoked)
                try FileManager.default.removeItem(atPath: keys.folder.file("clients/\(TestDirectory.admin)"))
                bus.service.reloadCurveClients()
                Thread.sleep(forTimeInterval: 0.3)
                while try revoked.receiveMultipart(timeout: .milliseconds(50)) != nil {}
                // The one still admitted reconnects and receives again; the revoked one never does.
                let stayingSaw = try receives(stays)
                var revokedSaw = false
                for _ in 0..<10 where !revokedSaw {
                    try publish()
                    revokedSaw = try revoked.receiveMultipart(timeout: .milliseconds(100)) != nil
                }
                return (sawBefore, stayingSaw, revokedSaw)
            }
            #expect(received.0, "the admin received events before the revocation")
            #expect(received.1, "a key still admitted receives events after the re-bind")
            #expect(!received.2, "the revoked key receives nothing after the reload")
        }
    }

    @Test func bindingBeyondLoopbackWithoutCurveIsRefusedUnlessInsecure() async throws {
        let error = await #expect(throws: BusServiceError.self) {
            try await TestBus.run(configure: { $0.requestEndpoint = "tcp://0.0.0.0:*" }) { _ in }
        }
        #expect(error?.code == .insecureBind)
        #expect(error?.message.contains("calls keys generate") == true)
        try await TestBus.run(configure: {
            $0.requestEndpoint = "tcp://0.0.0.0:*"
            $0.allowsInsecureBind = true
        }) { bus in
            #expect(!bus.endpoints.request.isEmpty)
        }
    }

    @Test func aBrokenClientsFolderStopsTheStart() async throws {
        let keys = try Keys(principals: [TestDirectory.admin])
        defer { keys.folder.remove() }
        try "not a certificate".write(toFile: keys.folder.file("clients/broken"), atomically: true, encoding: .utf8)
        let error = await #expect(throws: BusServiceError.self) {
            try await TestBus.run(configure: keys.configure) { _ in }
        }
        #expect(error?.code == .curveUnusable)
        #expect(error?.message.contains("clients/broken") == true)
    }
}
