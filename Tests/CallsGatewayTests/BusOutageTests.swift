import Calls
import CallsBusService
import CallsJSON
import CallsTesting
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// The gateway in front of a bus that stops and starts again on the same endpoints.
@Suite(.timeLimit(.minutes(1)))
struct BusOutageTests {
    typealias H = GatewayHarness

    @Test func requestsAnswer503WhileTheBusIsAwayAndRecoverWhenItReturns() async throws {
        let folder = TemporaryDirectory()
        defer { folder.remove() }
        // The bus binds the same ipc paths each time it starts in `folder`.
        let endpoints = BusEndpoints(request: folder.ipcEndpoint("requests"), events: folder.ipcEndpoint("events"))
        try await H.gateway(endpoints: endpoints, timeout: .milliseconds(500)).test(.router) { client in
            for cycle in 0...3 {
                try await TestBus.run(in: folder) { bus in
                    #expect(try await waitUntilHealthy(client), "cycle \(cycle): the gateway did not recover")
                    if cycle == 0 { try await bus.report([("Ringing", "kept", "dev-1001")]) }
                    try await client.execute(uri: "/api/v2/me/calls", method: .get, headers: H.basic("agent-1001")) {
                        response in
                        #expect(response.status == .ok)
                        #expect(response.json?["calls"]?.arrayValue?.map { $0["id"] } == ["kept"])
                    }
                }
                guard cycle < 3 else { break }
                // The bus is stopped: every bus-backed route answers 503 with statusCode 4.
                for uri in ["/api/v2/me/calls", "/api/v2/me/calls/kept"] {
                    try await client.execute(uri: uri, method: .get, headers: H.basic("agent-1001")) { response in
                        #expect(response.status == .serviceUnavailable)
                        #expect(response.json?.statusCode == 4)
                        #expect(response.json?["statusMessage"]?.stringValue?.isEmpty == false)
                        #expect(response.headers[.retryAfter] != nil)
                        #expect(response.headers[.contentType] == "application/json")
                    }
                }
                try await client.execute(
                    uri: "/api/v2/me/calls/kept", method: .post,
                    headers: H.basic("agent-1001").merging([.contentType: "application/json"]),
                    body: ByteBuffer(string: #"{"operationName":"Answer"}"#)
                ) { response in
                    #expect(response.status == .serviceUnavailable)
                    #expect(response.json?.statusCode == 4)
                }
                try await client.execute(uri: "/healthz", method: .get) { response in
                    #expect(response.status == .serviceUnavailable)
                    #expect(response.json?.statusCode == 4)
                }
            }
        }
    }

    /// Polls `/healthz` until it answers 200, for at most 20 seconds.
    private func waitUntilHealthy(_ client: any TestClientProtocol) async throws -> Bool {
        let deadline = ContinuousClock.now + .seconds(20)
        while ContinuousClock.now < deadline {
            let status = try await client.execute(uri: "/healthz", method: .get) { $0.status }
            if status == .ok { return true }
            try await Task.sleep(for: .milliseconds(50))
        }
        return false
    }
}
