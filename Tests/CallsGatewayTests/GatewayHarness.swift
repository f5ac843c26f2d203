import Calls
import CallsBusClient
import CallsBusMessages
import CallsBusService
import CallsGateway
import CallsJSON
import CallsTesting
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdBcrypt
import HummingbirdTesting
import Logging

/// The real gateway in front of the real bus, for one test.
enum GatewayHarness {
    static let password = "s3cret"
    static let logger = Logger(label: "test-gateway", factory: { _ in SwiftLogNoOpLogHandler() })

    /// The bus's test directory, with a (cheap) bcrypt hash for every person.
    static let directory = TestDirectory.standard(passwordHash: Bcrypt.hash(password, cost: 4))

    /// `Authorization: Basic …` for `user`.
    static func basic(_ user: String, password: String = password) -> HTTPFields {
        [.authorization: "Basic " + Data("\(user):\(password)".utf8).base64EncodedString()]
    }

    static func gateway(
        endpoints: BusEndpoints,
        directory: Directory = directory,
        timeout: Duration = .seconds(2),
        keepAlive: Duration = .seconds(15),
        tune: (inout GatewayConfiguration) -> Void = { _ in }
    ) throws -> some ApplicationProtocol {
        let busConfiguration = BusClientConfiguration(
            requestEndpoint: endpoints.request,
            eventsEndpoint: endpoints.events,
            requestTimeout: timeout
        )
        let client = try CallsBusClient(configuration: busConfiguration, logger: logger)
        var configuration = GatewayConfiguration(
            host: "127.0.0.1", port: 0, bus: busConfiguration, eventStreamKeepAlive: keepAlive)
        tune(&configuration)
        return try CallsGateway.application(
            configuration: configuration,
            directory: directory,
            bus: client,
            logger: logger
        )
    }

    /// Runs `body` against the gateway (router test client) in front of a fresh bus.
    static func run(
        _ setup: TestingSetup = .router,
        directory: Directory = directory,
        keepAlive: Duration = .seconds(15),
        configure: (inout BusConfiguration) -> Void = { _ in },
        tune: (inout GatewayConfiguration) -> Void = { _ in },
        _ body: @escaping @Sendable (any TestClientProtocol, TestBus) async throws -> Void
    ) async throws {
        try await TestBus.run(configure: configure) { bus in
            let app = try gateway(endpoints: bus.endpoints, directory: directory, keepAlive: keepAlive, tune: tune)
            try await app.test(setup) { client in
                try await body(client, bus)
            }
        }
    }
}

extension TestBus {
    /// Reports telephony events as the switch, synchronously on a client thread.
    func report(_ events: [(type: String, callId: String, deviceId: String)]) async throws {
        try await withClient { client in
            for event in events {
                let reply = try client.request(
                    .telephonyEvent,
                    user: TestDirectory.telephony,
                    [
                        "event": [
                            "type": .string(event.type), "callId": .string(event.callId),
                            "deviceId": .string(event.deviceId), "participants": ["+14155552671"],
                        ]
                    ]
                )
                guard reply.statusCode == 0 else { throw BusTestError("telephony event refused: \(reply)") }
            }
        }
    }
}

extension TestResponse {
    /// The body as a JSON value.
    var json: JSONValue? { try? JSONDecoder().decode(JSONValue.self, from: Data(body.readableBytesView)) }
}
