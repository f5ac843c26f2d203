import CallsJSON
import CallsTesting
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// `/api/v2/me` and `/api/v2/me/channels/voice` (contract sections 6 and 8) against the real bus,
/// and the refusals every new route shares: 401, 415.
@Suite(.timeLimit(.minutes(1)))
struct UserRoutesTests {
    typealias H = GatewayHarness

    @Test(arguments: [("admin", "ROLE_ADMIN"), ("agent-1001", "ROLE_AGENT")])
    func meIsTheUserWithItsRole(user: String, role: String) async throws {
        try await H.run { client, _ in
            let (status, body) = try await client.get("/api/v2/me", as: user)
            #expect(status == .ok)
            let me = try #require(body?["user"])
            #expect(body?.statusCode == 0)
            #expect(me["id"] == .string(user))
            #expect(me["userName"] == .string(user))
            #expect(me["roles"] == [.string(role)])
            #expect(me["path"] == "/me")
            #expect(me["uri"]?.stringValue?.hasSuffix("/api/v2/me") == true)
        }
    }

    @Test func aTelephonyPrincipalIsRefused403() async throws {
        try await H.run(directory: DevicesRoutesTests.directoryWithSwitch) { client, _ in
            let (status, body) = try await client.get("/api/v2/me", as: "switch-1")
            #expect(status == .forbidden && body?.statusCode == 5)
            let session = #"{"operationName":"StartContactCenterSession"}"#
            #expect(try await client.post("/api/v2/me", session, as: "switch-1").0 == .forbidden)
            #expect(
                try await client.post("/api/v2/me/channels/voice", #"{"operationName":"Ready"}"#, as: "switch-1").0
                    == .forbidden)
        }
    }

    /// `"<HTTP status> <statusCode>"` of a POST of `operation` (and `reason`) as agent-1001.
    private static func post(
        _ client: any TestClientProtocol, _ uri: String, _ operation: String, reason: String? = nil
    ) async throws -> String {
        let body =
            reason.map { #"{"operationName":"\#(operation)","reason":"\#($0)"}"# }
            ?? #"{"operationName":"\#(operation)"}"#
        let (status, reply) = try await client.post(uri, body, as: "agent-1001")
        return "\(status.code) \(reply?.statusCode.map(String.init) ?? "-")"
    }

    private static func userState(_ client: any TestClientProtocol) async throws -> JSONValue? {
        try await client.get("/api/v2/me/devices/dev-1001", as: "agent-1001").1?["device"]?["userState"]
    }

    @Test func sessionAndReadinessEachOnTheirOwnRoute() async throws {
        try await H.run { client, _ in
            let voice = "/api/v2/me/channels/voice"
            var outcomes: [String] = []
            var states: [JSONValue?] = []
            outcomes.append(try await Self.post(client, voice, "Ready"))
            outcomes.append(try await Self.post(client, "/api/v2/me", "StartContactCenterSession"))
            states.append(try await Self.userState(client))
            outcomes.append(try await Self.post(client, voice, "NotReady", reason: "Break"))
            states.append(try await Self.userState(client))
            outcomes.append(try await Self.post(client, voice, "Ready"))
            states.append(try await Self.userState(client))
            // Neither route reaches the other's operations.
            outcomes.append(try await Self.post(client, voice, "EndContactCenterSession"))
            outcomes.append(try await Self.post(client, "/api/v2/me", "NotReady"))
            outcomes.append(try await Self.post(client, voice, "Teleport"))
            states.append(try await Self.userState(client))
            outcomes.append(try await Self.post(client, voice, "NotReady", reason: String(repeating: "r", count: 65)))
            outcomes.append(try await Self.post(client, "/api/v2/me", "EndContactCenterSession"))
            states.append(try await Self.userState(client))
            #expect(
                outcomes == ["400 2", "200 0", "200 0", "200 0", "400 2", "400 2", "400 2", "400 2", "200 0"])
            #expect(
                states == [
                    ["state": "NotReady"], ["state": "NotReady", "reason": "Break"], ["state": "Ready"],
                    ["state": "Ready"], ["state": "LoggedOut"],
                ])
            let missing = try await client.post(voice, "{}", as: "agent-1001").1?.statusCode
            let missingToo = try await client.post("/api/v2/me", #"{"reason":"x"}"#, as: "agent-1001").1?.statusCode
            #expect(missing == 1 && missingToo == 1)
        }
    }

    static let routes: [(HTTPRequest.Method, String)] = [
        (.get, "/api/v2/me"), (.post, "/api/v2/me"), (.post, "/api/v2/me/channels/voice"),
        (.get, "/api/v2/me/devices"), (.get, "/api/v2/me/devices/dev-1001"), (.post, "/api/v2/me/devices/dev-1001"),
        (.post, "/api/v2/me/devices/dev-1001/calls"), (.get, "/api/v2/devices"), (.get, "/api/v2/devices/dev-1001"),
    ]

    @Test(arguments: routes)
    func withoutCredentialsEveryRouteIs401(method: HTTPRequest.Method, uri: String) async throws {
        try await H.run { client, _ in
            try await client.execute(uri: uri, method: method, headers: [.contentType: "application/json"]) {
                response in
                #expect(response.status == .unauthorized)
                #expect(response.headers[.wwwAuthenticate]?.hasPrefix("Basic") == true)
                #expect(response.json?.statusCode == 20)
            }
        }
    }

    @Test(arguments: routes.filter { $0.0 == .post }.map(\.1))
    func aPostThatIsNotJSONIs415(uri: String) async throws {
        try await H.run { client, _ in
            let body = #"{"operationName":"DoNotDisturbOn"}"#
            for contentType in [nil, "text/plain"] as [String?] {
                let (status, reply) = try await client.post(uri, body, as: "agent-1001", contentType: contentType)
                #expect(status == .unsupportedMediaType)
                #expect(reply?.statusCode == 2)
            }
            #expect(
                try await client.get("/api/v2/me/devices/dev-1001", as: "admin").1?["device"]?["doNotDisturb"] == "Off")
        }
    }
}
