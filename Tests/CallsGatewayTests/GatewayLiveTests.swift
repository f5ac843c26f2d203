import Calls
import CallsGateway
import CallsJSON
import CallsTesting
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import ZMQ

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

    /// A connection that sends nothing, one that stops halfway through its request head, and one
    /// idle after its answer are all closed by the server after the idle timeout (300 held
    /// connections were all still open after 30 s without it). Each wait is bounded; none is timed.
    @Test func silentHalfSentAndIdleConnectionsAreClosed() async throws {
        try await H.run(.live, tune: { $0.idleTimeout = .milliseconds(300) }) { client, _ in
            let port = try #require(client.port)
            try await SocketLoop.run(name: "idle-clients") {
                var silent = try EventStreamConnection(port: port)
                var halfSent = try EventStreamConnection(port: port)
                try halfSent.send(Array("GET /metrics HTTP/1.1\r\nHost: localhost\r\nAccept: */*\r\n".utf8))
                var answered = try EventStreamConnection(port: port)
                try answered.send(Array("GET /metrics HTTP/1.1\r\nHost: localhost\r\n\r\n".utf8))
                let deadline = ContinuousClock.now + .seconds(20)
                try silent.waitForClose(deadline: deadline)
                try halfSent.waitForClose(deadline: deadline)
                try answered.waitForClose(deadline: deadline)
            }
        }
    }

    /// An event stream is a response in progress: the idle timeout never cuts it, even when no
    /// byte flows for several timeouts.
    @Test func anOpenEventStreamOutlivesTheIdleTimeout() async throws {
        try await H.run(.live, tune: { $0.idleTimeout = .milliseconds(200) }) { client, bus in
            let stream = try await EventStreamClient.open(port: try #require(client.port), user: "admin")
            #expect(stream.status == 200)
            #expect(try await stream.next()?.comment == "connected")
            try await Task.sleep(for: .seconds(1))
            let frame = try await stream.warmUp(bus: bus, device: EventStreamTests.unownedDevice)
            #expect(frame.event == "StatusChange")
        }
    }
}
