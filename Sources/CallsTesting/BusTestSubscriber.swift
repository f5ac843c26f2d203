import Calls
import CallsBusMessages
public import CallsJSON
import Foundation
public import ZMQ

/// A SUB socket for tests that knows how to get past the slow-joiner problem.
public final class BusTestSubscriber {
    /// One received event: the topic frame and the decoded body.
    public struct Event: Sendable {
        /// The topic frame.
        public var topic: String
        /// The body, decoded.
        public var body: JSONValue
        /// The body's `seq`.
        public var seq: Int { body["seq"]?.intValue ?? -1 }
    }

    private let socket: Socket
    private static let warmUpPrefix = "calls/-/warmup-"

    /// Subscribes to `topics` on the bus's events endpoint.
    public init(context: Context, endpoint: String, topics: [String]) throws {
        socket = try Socket(.subscriber, context: context)
        // A test subscriber keeps up; its queue must not be what drops events.
        try socket.set(.receiveHighWaterMark, 1_000_000)
        for topic in topics + [Self.warmUpPrefix] { try socket.set(.subscribe, topic) }
        try socket.connect(endpoint)
    }

    /// Creates warm-up calls on an unowned device until one of their events arrives, so the
    /// subscription is known to be in place; then stops listening to warm-up events.
    /// - Returns: the `seq` of the last warm-up event created (later events come after it).
    @discardableResult
    public func warmUp(using client: BusTestClient, telephonyUser: String = "switch-1") throws -> Int {
        for attempt in 0..<500 {
            let event: JSONValue = .object([
                "type": "Ringing", "callId": .string("warmup-\(UUID().uuidString)"), "deviceId": "dev-warmup",
            ])
            _ = try client.request(.telephonyEvent, user: telephonyUser, ["event": event])
            if let received = try receive(timeout: .milliseconds(attempt < 10 ? 20 : 100)),
                received.topic.hasPrefix(Self.warmUpPrefix)
            {
                try socket.set(.unsubscribe, Self.warmUpPrefix)
                let list = try client.request(.listCalls, user: "admin")
                // Events still in flight from the warm-up are skipped by the callers through seq.
                return list["seq"]?.intValue ?? 0
            }
        }
        throw BusTestError("no event arrived after 500 warm-up calls")
    }

    /// The next event, or `nil` when none comes within `timeout`; warm-up events are skipped.
    public func next(timeout: Duration = .seconds(10)) throws -> Event? {
        while let event = try receive(timeout: timeout) {
            if !event.topic.hasPrefix(Self.warmUpPrefix) { return event }
        }
        return nil
    }

    private func receive(timeout: Duration) throws -> Event? {
        guard let frames = try socket.receiveMultipart(timeout: timeout) else { return nil }
        guard frames.count == 2 else { throw BusTestError("an event must be two frames, got \(frames.count)") }
        return Event(topic: frames[0].string, body: try JSONDecoder().decode(JSONValue.self, from: frames[1].data))
    }

    /// The next event after `seq`, skipping older ones (warm-up traffic still in flight).
    public func next(after seq: Int, timeout: Duration = .seconds(10)) throws -> Event? {
        while let event = try next(timeout: timeout) {
            if event.seq > seq { return event }
        }
        return nil
    }
}

@available(*, unavailable)
extension BusTestSubscriber: Sendable {}
