import Calls
import CallsBusMessages
import Foundation

/// Events for one user under one topic prefix, in order and without gaps.
///
/// It follows the contract's recipe itself: subscribe first, then take a `calls.list` snapshot
/// (or replay from a given `seq`), drop what the snapshot already holds, fill every gap from
/// `events.replay`, and yield ``BusStreamItem/resync(_:)`` when the history no longer reaches back.
/// A gap is a jump in `seq` for the `calls/` prefix, in `ownerSeq` for one owner's prefix.
public struct BusEventStream: AsyncSequence, Sendable {
    public typealias Element = BusStreamItem

    let client: CallsBusClient
    let user: String
    let prefix: String
    let after: UInt64?

    public func makeAsyncIterator() -> Iterator {
        Iterator(client: client, user: user, prefix: prefix, after: after)
    }

    /// Pulls events from the subscription and repairs gaps as it goes.
    public struct Iterator: AsyncIteratorProtocol {
        let client: CallsBusClient
        let user: String
        let prefix: String
        var after: UInt64?
        private var raw: AsyncStream<RawEvent>.Iterator?
        private var lastSeq: UInt64 = 0
        private var lastOwnerSeq: UInt64?
        private var ready: [BusStreamItem] = []

        init(client: CallsBusClient, user: String, prefix: String, after: UInt64?) {
            self.client = client
            self.user = user
            self.prefix = prefix
            self.after = after
        }

        private var isOwnerPrefix: Bool { prefix != EventTopic.allCalls }

        public mutating func next() async throws -> BusStreamItem? {
            if raw == nil { try await start() }
            while ready.isEmpty {
                guard let item = await raw?.next() else { return nil }
                guard case .published(let topic, let body) = item else {
                    try await fill(after: lastSeq)
                    continue
                }
                guard let header = try? JSONDecoder().decode(EventHeader.self, from: body) else { continue }
                guard header.seq > lastSeq else { continue }
                let isNext =
                    isOwnerPrefix ? lastOwnerSeq.map { header.ownerSeq == $0 + 1 } ?? false : header.seq == lastSeq + 1
                if isNext {
                    deliver(
                        BusEvent(
                            topic: topic,
                            seq: header.seq,
                            ownerSeq: header.ownerSeq,
                            notificationType: header.notificationType,
                            body: body
                        )
                    )
                } else {
                    try await fill(after: lastSeq)
                }
            }
            return ready.removeFirst()
        }

        private mutating func start() async throws {
            // Subscribe before anything else, so nothing published from here on is missed.
            raw = client.rawEvents(prefix: prefix).makeAsyncIterator()
            if let after {
                try await fill(after: after)
            } else {
                try await takeSnapshot(yielding: false)
            }
        }

        private mutating func fill(after seq: UInt64) async throws {
            lastSeq = Swift.max(lastSeq, seq)
            let reply = try await client.send(
                BusRequest(operation: .replayEvents, user: user, fields: ["after": .number(Double(seq))])
            )
            let status = try JSONDecoder().decode(ReplyStatus.self, from: reply)
            if status.statusCode == 2 {
                try await takeSnapshot(yielding: true)
                return
            }
            if let refusal = status.error { throw refusal }
            for event in try JSONDecoder().decode(EventsReplayReply.self, from: reply).events where event.seq > lastSeq
            {
                deliver(try Self.live(from: event))
            }
        }

        private mutating func takeSnapshot(yielding: Bool) async throws {
            let reply = try await client.send(BusRequest(operation: .listCalls, user: user))
            if let refusal = try JSONDecoder().decode(ReplyStatus.self, from: reply).error { throw refusal }
            lastSeq = try JSONDecoder().decode(SnapshotSeq.self, from: reply).seq
            lastOwnerSeq = nil
            if yielding { ready.append(.resync(reply)) }
        }

        private mutating func deliver(_ event: BusEvent) {
            lastSeq = event.seq
            lastOwnerSeq = event.ownerSeq
            ready.append(.event(event))
        }

        /// A replayed event as it was published: the same body, without its `topic`.
        private static func live(from event: EventMessage) throws -> BusEvent {
            var message = event
            message.topic = nil
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            return BusEvent(
                topic: event.topic ?? "",
                seq: event.seq,
                ownerSeq: event.ownerSeq,
                notificationType: event.notificationType.rawValue,
                body: try encoder.encode(message)
            )
        }
    }
}

/// Just the `seq` of a `calls.list` reply.
private struct SnapshotSeq: Decodable {
    var seq: UInt64
}

extension CallsBusClient {
    /// Events visible to `user` under `prefix`, in order, gaps filled.
    /// - Parameters:
    ///   - user: whose visibility the snapshot and replays follow.
    ///   - prefix: `calls/` for every call, `calls/<ownerId>/` for one owner's.
    ///   - after: start with the events after this `seq` (an SSE `Last-Event-ID`); `nil` for live from now.
    public func events(for user: String, prefix: String, after: UInt64? = nil) -> BusEventStream {
        BusEventStream(client: self, user: user, prefix: prefix, after: after)
    }
}
