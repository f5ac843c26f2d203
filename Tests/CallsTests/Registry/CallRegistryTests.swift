import Calls
import CallsTesting
import Foundation
import Testing

struct CallRegistryTests {
    static func registry(retention: TimeInterval = 60) throws -> CallRegistry {
        CallRegistry(directory: try Fixture.directory(), releasedRetention: retention)
    }

    static func ringing(_ callId: String, on deviceId: String) -> TelephonyEvent {
        TelephonyEvent(type: .ringing, callId: callId, deviceId: deviceId, participants: ["5000"])
    }

    @Test func seqRisesByOnePerAcceptedEventAndOwnerSeqPerOwner() throws {
        var registry = try Self.registry()
        let inputs: [(TelephonyEvent, UInt64?, String, UInt64?)] = [
            (Self.ringing("a1", on: "dev-1001"), 1, "agent-1001", 1),
            (Self.ringing("b1", on: "dev-1002"), 2, "agent-1002", 1),
            (Self.ringing("a1", on: "dev-1001"), nil, "agent-1001", nil),  // refused: exists
            (Self.ringing("u1", on: "dev-unowned"), 3, "-", 1),
            (Fixture.event(.established, callId: "a1"), 4, "agent-1001", 2),
            (Self.ringing("b2", on: "dev-1003"), 5, "agent-1002", 2),
            (Fixture.event(.held, callId: "b2", deviceId: "dev-1003"), nil, "agent-1002", nil),  // refused: ringing
        ]
        for (event, seq, owner, ownerSeq) in inputs {
            switch registry.apply(event, at: Fixture.now) {
            case .success(let change):
                let published = try #require(change.events.first)
                #expect(change.events.count == 1)
                #expect(published.seq == seq)
                #expect(published.ownerId == owner)
                #expect(published.ownerSeq == ownerSeq)
                #expect(registry.call(id: event.callId) == published.call)
            case .failure(let error):
                #expect(seq == nil, "\(event.type) \(event.callId) refused: \(error)")
                #expect(error.code == .invalidParameter)
            }
        }
        #expect(registry.seq == 5)
        #expect(registry.ownerSeqs == ["agent-1001": 2, "agent-1002": 2, "-": 1])
        #expect(registry.ownerSeq(of: "admin") == 0)
        #expect(registry.ownerId(ofDevice: "dev-1002") == "agent-1002")
        #expect(registry.ownerId(ofDevice: "nobody's") == CallRegistry.unownedOwnerId)
    }

    @Test func listsFollowTheOwnerIndex() throws {
        var registry = try Self.registry()
        for (id, device) in [("b2", "dev-1003"), ("a1", "dev-1001"), ("b1", "dev-1002"), ("u1", "dev-x")] {
            _ = registry.apply(Self.ringing(id, on: device), at: Fixture.now)
        }
        #expect(registry.calls(visibleTo: Fixture.admin).map(\.id) == ["a1", "b1", "b2", "u1"])
        #expect(registry.calls(visibleTo: Fixture.agent1).map(\.id) == ["a1"])
        #expect(registry.calls(visibleTo: Fixture.agent2).map(\.id) == ["b1", "b2"])
        #expect(registry.calls(visibleTo: Fixture.switch1).isEmpty)
        #expect(registry.calls(visibleTo: Fixture.gateway).isEmpty)
        #expect(registry.allCalls.map(\.id) == ["a1", "b1", "b2", "u1"])
    }

    @Test func operationsAreNumberedAndCarryDigits() throws {
        var registry = try Self.registry()
        _ = registry.apply(TelephonyEvent(type: .dialing, callId: "a1", deviceId: "dev-1001"), at: Fixture.now)
        let sent = try registry.perform(.sendDtmf(digits: "42#"), callId: "a1", at: Fixture.now).get().events[0]
        #expect(sent.seq == 2)
        #expect(sent.ownerSeq == 2)
        #expect(sent.notification == .dtmfSent)
        #expect(sent.digits == "42#")
        #expect(registry.perform(.hold, callId: "a1", at: Fixture.now) == .failure(.invalidParameter("")))
        #expect(registry.perform(.hangup, callId: "zz", at: Fixture.now) == .failure(.notFound("")))
        #expect(registry.seq == 2)
    }

    @Test func releasedCallsStayForTheRetentionThenExpire() throws {
        var registry = try Self.registry(retention: 60)
        _ = registry.apply(Self.ringing("a1", on: "dev-1001"), at: Fixture.now)
        _ = registry.apply(Self.ringing("a2", on: "dev-1001"), at: Fixture.now)
        let released = try registry.perform(.hangup, callId: "a1", at: Fixture.now).get().events[0]
        #expect(released.call.releasedAt == Fixture.now)

        #expect(
            registry.apply(Self.ringing("a1", on: "dev-1001"), at: Fixture.now + 30) == .failure(.invalidParameter("")))
        #expect(registry.expireReleased(now: Fixture.now + 59.9).isEmpty)
        #expect(registry.calls(visibleTo: Fixture.agent1).map(\.id) == ["a1", "a2"])
        #expect(registry.expireReleased(now: Fixture.now + 60).map(\.id) == ["a1"])
        #expect(registry.call(id: "a1") == nil)
        #expect(registry.calls(visibleTo: Fixture.agent1).map(\.id) == ["a2"])
        #expect(registry.seq == 3, "expiry publishes nothing")
    }

    @Test func anExpiredCallIdCanBeReusedBeforeExpiryRuns() throws {
        var registry = try Self.registry(retention: 5)
        _ = registry.apply(Self.ringing("a1", on: "dev-1001"), at: Fixture.now)
        _ = registry.apply(Fixture.event(.released, callId: "a1"), at: Fixture.now)
        let reused = try registry.apply(Self.ringing("a1", on: "dev-1002"), at: Fixture.now + 5).get().events[0]
        #expect(reused.ownerId == "agent-1002")
        #expect(registry.calls(visibleTo: Fixture.agent1).isEmpty)
        #expect(registry.calls(visibleTo: Fixture.agent2).map(\.state) == [.ringing])
    }

    @Test func restoresAndContinuesNumbering() throws {
        var first = try Self.registry()
        _ = first.apply(Self.ringing("a1", on: "dev-1001"), at: Fixture.now)
        _ = first.apply(Self.ringing("b1", on: "dev-1002"), at: Fixture.now)
        _ = first.perform(.hangup, callId: "b1", at: Fixture.now)

        var restored = CallRegistry(
            directory: try Fixture.directory(), calls: first.allCalls, seq: first.seq, ownerSeqs: first.ownerSeqs
        )
        #expect(restored.allCalls == first.allCalls)
        #expect(restored.calls(visibleTo: Fixture.agent2).map(\.id) == ["b1"])
        #expect(restored.releasedRetention == CallRegistry.defaultReleasedRetention)
        #expect(restored.apply(Self.ringing("b1", on: "dev-1002"), at: Fixture.now) == .failure(.invalidParameter("")))
        let next = try restored.apply(Fixture.event(.established, callId: "a1"), at: Fixture.now).get().events[0]
        #expect(next.seq == 4)
        #expect(next.ownerSeq == 2)
        let other = try restored.apply(Self.ringing("b2", on: "dev-1003"), at: Fixture.now).get().events[0]
        #expect(other.seq == 5)
        #expect(other.ownerSeq == 3)
        #expect(restored.expireReleased(now: Fixture.now + 60).map(\.id) == ["b1"])
    }
}
