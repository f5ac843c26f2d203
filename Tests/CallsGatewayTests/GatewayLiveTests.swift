import Calls
import CallsJSON
import CallsTesting
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// The gateway over real TCP on an ephemeral port, as clients reach it.
@Suite(.timeLimit(.minutes(1)))
struct GatewayLiveTests {
    typealias H = GatewayHarness

    @Test func listWithBasicAuthenticationOverTCP() async throws {
        try await H.run(.live) { client, bus in
            #expect(client.port != nil)
            try await bus.report([("Ringing", "live-1", "dev-1001"), ("Ringing", "live-2", "dev-1002")])
            try await client.execute(uri: "/api/v2/me/calls?fields=*", method: .get, headers: H.basic("agent-1001")) {
                response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "application/json")
                #expect(response.json?.statusCode == 0)
                #expect(response.json?["calls"]?.arrayValue?.map { $0["id"] } == ["live-1"])
            }
            try await client.execute(uri: "/api/v2/me/calls", method: .get, headers: H.basic("admin")) { response in
                #expect(response.json?["calls"]?.arrayValue?.count == 2)
            }
            try await client.execute(uri: "/api/v2/me/calls", method: .get) { response in
                #expect(response.status == .unauthorized)
                #expect(response.headers[.wwwAuthenticate]?.hasPrefix("Basic") == true)
            }
        }
    }
}
