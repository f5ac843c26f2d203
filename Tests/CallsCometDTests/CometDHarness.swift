import Calls
import CallsBusClient
import CallsBusMessages
import CallsBusService
import CallsCometD
import CallsGateway
import CallsJSON
import CallsTesting
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdBcrypt
import HummingbirdTesting
import Logging

/// The real gateway (with its CometD endpoint) in front of the real bus, and a Bayeux client over
/// the router test client.
struct CometDHarness: Sendable {
    static let password = "s3cret"
    static let logger = Logger(label: "test-cometd", factory: { _ in SwiftLogNoOpLogHandler() })
    static let directory = TestDirectory.standard(passwordHash: Bcrypt.hash(password, cost: 4))

    let client: any TestClientProtocol
    let bus: TestBus

    /// Runs `body` against a fresh bus and gateway, with `tune` applied to the CometD configuration.
    static func run(
        tune: @escaping @Sendable (inout CometDConfiguration) -> Void = { _ in },
        _ body: @escaping @Sendable (CometDHarness) async throws -> Void
    ) async throws {
        try await TestBus.run { bus in
            let busConfiguration = BusClientConfiguration(
                requestEndpoint: bus.endpoints.request, eventsEndpoint: bus.endpoints.events)
            let client = try CallsBusClient(configuration: busConfiguration, logger: logger)
            var configuration = GatewayConfiguration(host: "127.0.0.1", port: 0, bus: busConfiguration)
            tune(&configuration.cometD)
            let app = try CallsGateway.application(
                configuration: configuration, directory: directory, bus: client, logger: logger)
            try await app.test(.router) { client in
                try await body(CometDHarness(client: client, bus: bus))
            }
        }
    }

    /// POSTs `body` to `/api/v2/notifications` (plus `suffix`) as `user`.
    func post(_ body: String, as user: String, suffix: String = "") async throws -> (HTTPResponse.Status, JSONValue?) {
        let headers: HTTPFields = [
            .authorization: "Basic " + Data("\(user):\(Self.password)".utf8).base64EncodedString(),
            .contentType: "application/json",
        ]
        return try await client.execute(
            uri: "/api/v2/notifications\(suffix)", method: .post, headers: headers,
            body: ByteBuffer(string: body)
        ) { response in
            (response.status, try? JSONValue(parsing: Data(response.body.readableBytesView)))
        }
    }

    /// Sends messages and returns the reply array.
    func send(_ messages: [JSONValue], as user: String, suffix: String = "") async throws -> [JSONValue] {
        var writer = JSONWriter()
        writer.value(.array(messages))
        let (status, reply) = try await post(String(decoding: writer.bytes, as: UTF8.self), as: user, suffix: suffix)
        guard status == .ok, case .array(let replies)? = reply else {
            throw BusTestError("notifications answered \(status): \(String(describing: reply))")
        }
        return replies
    }

    /// Handshakes as `user` and returns the clientId.
    func handshake(as user: String, ext: JSONValue? = nil) async throws -> String {
        var message: [String: JSONValue] = [
            "channel": "/meta/handshake", "version": "1.0", "supportedConnectionTypes": ["long-polling"],
        ]
        if let ext { message["ext"] = ext }
        let replies = try await send([.object(message)], as: user, suffix: "/handshake")
        guard let clientId = replies.first?["clientId"]?.stringValue else {
            throw BusTestError("no clientId in \(replies)")
        }
        return clientId
    }

    /// Subscribes and returns the reply.
    func subscribe(_ clientId: String, to channel: String, as user: String, ext: JSONValue? = nil) async throws
        -> JSONValue
    {
        var message: [String: JSONValue] = [
            "channel": "/meta/subscribe", "clientId": .string(clientId), "subscription": .string(channel), "id": "7",
        ]
        if let ext { message["ext"] = ext }
        return try await send([.object(message)], as: user).first ?? .null
    }

    /// Connects (held up to the configured timeout unless `timeout` is 0) and returns every reply.
    func connect(_ clientId: String, as user: String, timeout: Int? = nil, ack: Int? = nil) async throws
        -> [JSONValue]
    {
        var message: [String: JSONValue] = [
            "channel": "/meta/connect", "clientId": .string(clientId), "connectionType": "long-polling",
        ]
        if let timeout { message["advice"] = ["timeout": .number(Double(timeout))] }
        if let ack { message["ext"] = ["ack": .number(Double(ack))] }
        return try await send([.object(message)], as: user, suffix: "/connect")
    }

    /// Connects until `count` data messages arrived (each connect returns at once when one is
    /// queued), returning their `data`.
    func receive(_ count: Int, _ clientId: String, as user: String, channel: String = "/v2/me/calls") async throws
        -> [JSONValue]
    {
        var received: [JSONValue] = []
        var attempts = 0
        while received.count < count {
            attempts += 1
            guard attempts < 200 else { throw BusTestError("only \(received.count) of \(count) messages arrived") }
            for reply in try await connect(clientId, as: user) where reply["channel"]?.stringValue == channel {
                if let data = reply["data"] { received.append(data) }
            }
        }
        return received
    }

    /// Sends `users.operate` for `user`.
    func operateUser(_ user: String, _ operation: String) async throws {
        try await bus.withClient { client in
            let reply = try client.request(.operateUser, user: user, ["operationName": .string(operation)])
            guard reply["statusCode"] == 0 else { throw BusTestError("users.operate refused: \(reply)") }
        }
    }

    /// Reports a new ringing call on `deviceId`.
    func ring(_ callId: String, on deviceId: String) async throws {
        try await bus.withClient { client in
            let reply = try client.request(
                .telephonyEvent, user: TestDirectory.telephony,
                [
                    "event": [
                        "type": "Ringing", "callId": .string(callId), "deviceId": .string(deviceId),
                        "participants": ["+14155552671"],
                    ]
                ])
            guard reply["statusCode"] == 0 else { throw BusTestError("telephony event refused: \(reply)") }
        }
    }
}
