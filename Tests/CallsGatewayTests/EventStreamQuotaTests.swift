import CallsJSON
import CallsTesting
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import CallsGateway

/// Caps on open event streams: per user (429, `statusCode` 2) and in all (503, `statusCode` 4).
@Suite(.timeLimit(.minutes(1)))
struct EventStreamQuotaTests {
    typealias H = GatewayHarness

    @Test func slotsAreCappedPerUserAndInAllAndComeBackWhenReleased() throws {
        let quota = EventStreamQuota(maxTotal: 3, maxPerUser: 2)
        var slots = [try quota.take(for: "a").get(), try quota.take(for: "a").get()]
        #expect(throws: EventStreamQuota.Refusal.user) { try quota.take(for: "a").get() }
        slots.append(try quota.take(for: "b").get())
        #expect(throws: EventStreamQuota.Refusal.total) { try quota.take(for: "c").get() }
        #expect(quota.total == 3)
        #expect(quota.open(for: "a") == 2)
        slots.removeFirst()
        #expect(quota.total == 2)
        #expect(quota.open(for: "a") == 1)
        slots.append(try quota.take(for: "a").get())
        #expect(slots.map(\.user) == ["a", "b", "a"])
    }

    /// Over real TCP: the third stream of one agent is refused with 429, the fourth stream in
    /// all with 503, each with a GWS body; once a stream's client is gone (its next keep-alive
    /// fails), its slot is free again.
    @Test func theStreamBeyondTheCapsIsRefusedAndASlotComesBack() async throws {
        try await H.run(
            .live, keepAlive: .milliseconds(100),
            tune: {
                $0.maxEventStreamsPerUser = 2
                $0.maxEventStreams = 3
            }
        ) { client, _ in
            let port = try #require(client.port)
            let first = try await EventStreamClient.open(port: port, user: "agent-1001")
            let second = try await EventStreamClient.open(port: port, user: "agent-1001")
            #expect(first.status == 200)
            #expect(second.status == 200)

            let third = try await EventStreamClient.open(port: port, user: "agent-1001")
            #expect(third.status == 429)
            #expect(third.headers["content-type"] == "application/json")
            #expect(try JSONValue(parsing: Data(try await third.plainBody().utf8)).statusCode == 2)

            let admin = try await EventStreamClient.open(port: port, user: "admin")
            #expect(admin.status == 200)
            let beyondAll = try await EventStreamClient.open(port: port, user: "agent-1002")
            #expect(beyondAll.status == 503)
            #expect(beyondAll.headers["retry-after"] == "5")
            #expect(try JSONValue(parsing: Data(try await beyondAll.plainBody().utf8)).statusCode == 4)

            let metrics = try await client.execute(uri: "/metrics", method: .get) { String(buffer: $0.body) }
            #expect(metrics.contains(#"calls_gateway_event_stream_refusals_total{reason="user"} 1"#))
            #expect(metrics.contains(#"calls_gateway_event_stream_refusals_total{reason="total"} 1"#))

            first.abort()
            var reopened = 0
            for _ in 0..<200 where reopened != 200 {
                reopened = try await EventStreamClient.open(port: port, user: "agent-1001").status
                if reopened != 200 { try await Task.sleep(for: .milliseconds(50)) }
            }
            #expect(reopened == 200)
        }
    }
}
