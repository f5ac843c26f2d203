import Calls
import CallsJSON
import CallsTesting
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@Suite(.timeLimit(.minutes(1)))
struct GatewayRoutesTests {
    typealias H = GatewayHarness

    @Test func listAndGetFollowTheUsersVisibility() async throws {
        try await H.run { client, bus in
            try await bus.report([("Ringing", "mine", "dev-1001"), ("Ringing", "theirs", "dev-1002")])
            try await client.execute(uri: "/api/v2/me/calls", method: .get, headers: H.basic("admin")) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "application/json")
                #expect(response.json?.statusCode == 0)
                #expect(response.json?["calls"]?.arrayValue?.count == 2)
                #expect(response.json?["seq"] == nil)
            }
            try await client.execute(uri: "/api/v2/me/calls", method: .get, headers: H.basic("agent-1001")) {
                response in
                #expect(response.json?["calls"]?.arrayValue?.map { $0["id"] } == ["mine"])
            }
            try await client.execute(uri: "/api/v2/me/calls/mine", method: .get, headers: H.basic("agent-1001")) {
                response in
                #expect(response.status == .ok)
                #expect(response.json?["call"]?["state"] == "Ringing")
                #expect(response.json?["call"]?["participantsInfo"]?[0]?["country"]?["code"] == "US")
            }
            try await client.execute(uri: "/api/v2/me/calls/theirs", method: .get, headers: H.basic("agent-1001")) {
                response in
                #expect(response.status == .notFound)
                #expect(response.json?.statusCode == 6)
                #expect(response.json?["statusMessage"] != nil)
            }
            try await client.execute(uri: "/api/v2/me/calls/nowhere", method: .get, headers: H.basic("admin")) {
                response in
                #expect(response.status == .notFound)
            }
        }
    }

    @Test func fieldsSelectKeys() async throws {
        try await H.run { client, bus in
            try await bus.report([("Ringing", "f1", "dev-1001")])
            try await client.execute(uri: "/api/v2/me/calls?fields=id,state", method: .get, headers: H.basic("admin")) {
                response in
                #expect(response.json?["calls"] == [["id": "f1", "state": "Ringing"]])
            }
            try await client.execute(
                uri: "/api/v2/me/calls/f1?fields=state,mute", method: .get, headers: H.basic("admin")
            ) { response in
                #expect(response.json?["call"] == ["state": "Ringing", "mute": "Off"])
            }
            try await client.execute(uri: "/api/v2/me/calls/f1?fields=*", method: .get, headers: H.basic("admin")) {
                response in
                #expect(response.json?["call"]?["uri"] != nil)
                #expect(response.json?["call"]?["capabilities"] != nil)
            }
        }
    }

    @Test func operationsChangeStateAndRefusalsMapToHTTP() async throws {
        try await H.run { client, bus in
            try await bus.report([("Ringing", "op1", "dev-1001")])
            func post(_ body: String, as user: String = "agent-1001", id: String = "op1") async throws -> TestResponse {
                try await client.execute(
                    uri: "/api/v2/me/calls/\(id)",
                    method: .post,
                    headers: H.basic(user).merging([.contentType: "application/json"]),
                    body: ByteBuffer(string: body)
                )
            }
            #expect(try await post(#"{"operationName":"Answer"}"#).status == .ok)
            #expect(
                try await post(#"{"operationName":"Hold","id":"other","user":"admin","op":"calls.list"}"#).json == [
                    "statusCode": 0
                ])
            let state = try await client.execute(uri: "/api/v2/me/calls/op1", method: .get, headers: H.basic("admin")) {
                $0.json?["call"]?["state"]
            }
            #expect(state == "Held")
            #expect(try await post(#"{"operationName":"Answer"}"#).status == .badRequest)
            #expect(try await post(#"{"operationName":"Teleport"}"#).json?.statusCode == 2)
            #expect(try await post(#"{"operationName":"SendDtmf"}"#).json?.statusCode == 1)
            #expect(try await post(#"{}"#).status == .badRequest)
            #expect(try await post("not json").status == .badRequest)
            #expect(try await post(#"["Answer"]"#).status == .badRequest)
            let oversized = try await post(
                #"{"operationName":"Hold","pad":""# + String(repeating: "x", count: 70_000) + #""}"#)
            #expect(oversized.status == .badRequest)
            #expect(oversized.json?["statusMessage"]?.stringValue?.contains("KiB") == true)
            #expect(try await post(#"{"operationName":"Retrieve"}"#, as: "agent-1002").status == .notFound)
        }
    }

    /// A browser on a foreign page sends `text/plain` and form bodies (and bodiless POSTs) without
    /// a CORS preflight, with its cached Basic credentials: only JSON may operate a call.
    @Test(
        arguments: [
            nil, "text/plain", "text/plain;charset=UTF-8", "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=x", "application/jsonp", "application/json-patch+json",
        ] as [String?])
    func aPostThatIsNotJSONIsRefusedWith415AndChangesNothing(contentType: String?) async throws {
        try await H.run { client, bus in
            try await bus.report([("Ringing", "csrf", "dev-1001")])
            var headers = H.basic("agent-1001")
            if let contentType { headers[.contentType] = contentType }
            try await client.execute(
                uri: "/api/v2/me/calls/csrf", method: .post, headers: headers,
                body: ByteBuffer(string: #"{"operationName":"Answer"}"#)
            ) { response in
                #expect(response.status == .unsupportedMediaType)
                #expect(response.json?.statusCode == 2)
                #expect(response.headers[.contentType] == "application/json")
            }
            let state = try await client.execute(uri: "/api/v2/me/calls/csrf", method: .get, headers: H.basic("admin"))
            {
                $0.json?["call"]?["state"]
            }
            #expect(state == "Ringing")
        }
    }

    @Test(arguments: ["application/json", "application/json; charset=utf-8", "Application/JSON;charset=UTF-8"])
    func jsonWithOrWithoutParametersOperates(contentType: String) async throws {
        try await H.run { client, bus in
            try await bus.report([("Ringing", "json", "dev-1001")])
            try await client.execute(
                uri: "/api/v2/me/calls/json", method: .post,
                headers: H.basic("agent-1001").merging([.contentType: contentType]),
                body: ByteBuffer(string: #"{"operationName":"Answer"}"#)
            ) { response in
                #expect(response.status == .ok)
            }
        }
    }

    @Test(arguments: [
        [:] as HTTPFields,
        GatewayHarness.basic("admin", password: "wrong"),
        GatewayHarness.basic("nobody"),
        GatewayHarness.basic("ADMIN"),
        GatewayHarness.basic("switch-1"),
        [.authorization: "Basic !!!not-base64"] as HTTPFields,
        [.authorization: "Bearer token"] as HTTPFields,
    ])
    func unauthenticatedRequestsGet401WithAChallenge(headers: HTTPFields) async throws {
        try await H.run { client, _ in
            for uri in ["/api/v2/me/calls", "/api/v2/me/calls/x", "/api/v2/me/calls/events"] {
                try await client.execute(uri: uri, method: .get, headers: headers) { response in
                    #expect(response.status == .unauthorized)
                    #expect(response.headers[.wwwAuthenticate]?.hasPrefix("Basic") == true)
                    #expect(response.json?.statusCode == 20)
                }
            }
        }
    }

    @Test func healthAndMetrics() async throws {
        try await H.run { client, _ in
            try await client.execute(uri: "/healthz", method: .get) { #expect($0.status == .ok) }
            try await client.execute(uri: "/api/v2/me/calls", method: .get, headers: H.basic("admin")) { _ in }
            try await client.execute(uri: "/metrics", method: .get) { response in
                let text = String(buffer: response.body)
                #expect(response.status == .ok)
                #expect(text.contains(#"calls_gateway_http_requests_total{route="/api/v2/me/calls",status="200"}"#))
                #expect(text.contains("calls_gateway_bus_round_trip_seconds_bucket"))
            }
        }
    }
}

extension HTTPFields {
    func merging(_ other: HTTPFields) -> HTTPFields {
        var merged = self
        for field in other { merged.append(field) }
        return merged
    }
}
