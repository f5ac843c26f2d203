import Calls
import CallsBusMessages
import CallsJSON
import Foundation

/// The subscriber's side of the contract's recipe: where it is in the sequence, and what to do
/// with the next event, a gap or a lost history.
struct EventRecipe: Sendable {
    let client: CallsBusClient
    let user: String
    let prefix: String
    /// The owner whose events this recipe delivers; `nil` for every call's.
    private let owner: Substring?
    private(set) var lastSeq: UInt64 = 0
    private var lastOwnerSeq: UInt64?
    /// Items decided and waiting to be handed out, oldest first.
    var ready: [BusStreamItem] = []
    /// The last replay was one page of several: the history holds more after ``lastSeq``.
    private(set) var hasMoreHistory = false

    init(client: CallsBusClient, user: String, prefix: String) {
        self.client = client
        self.user = user
        self.prefix = prefix
        owner = prefix == EventTopic.allCalls ? nil : EventTopic.ownerId(of: prefix + "-")
    }

    private var isOwnerPrefix: Bool { prefix != EventTopic.allCalls }

    /// Takes one event from the subscription: delivers it when it is the next one, drops it when
    /// the snapshot or a replay already had it, and fills the gap from the history otherwise.
    mutating func receive(topic: String, body: Data) async throws {
        // A subscription matches by prefix; deliver only events whose topic names this owner
        // exactly, so no other owner's event can ride on a prefix that happens to match.
        if let owner, EventTopic.ownerId(of: topic) != owner { return }
        guard let header = EventHeader(body), header.seq > lastSeq else { return }
        let isNext =
            isOwnerPrefix ? lastOwnerSeq.map { header.ownerSeq == $0 + 1 } ?? false : header.seq == lastSeq + 1
        if isNext {
            let event = BusEvent(
                topic: topic,
                seq: header.seq,
                ownerSeq: header.ownerSeq,
                notificationType: header.notificationType,
                body: body
            )
            deliver(event)
        } else if lastOwnerSeq != nil || !isOwnerPrefix {
            // The subscription lost events (a slow reader, a suspended process): say so, then
            // deliver them from the bus's history.
            ready.append(.gap(afterSeq: lastSeq, beforeSeq: header.seq))
            try await fill(after: lastSeq)
        } else {
            // The first event of one owner's prefix: its ownerSeq cannot be checked against the
            // snapshot, so the history says what came since.
            try await fill(after: lastSeq)
        }
    }

    /// Delivers the kept events after `seq`, or a resync when the history no longer reaches back.
    mutating func fill(after seq: UInt64) async throws {
        lastSeq = Swift.max(lastSeq, seq)
        hasMoreHistory = false
        let reply = try await client.send(
            BusRequest(operation: .replayEvents, user: user, fields: ["after": .number(Double(seq))])
        )
        if reply.statusCode == 2 {
            try await takeSnapshot(yielding: true)
            return
        }
        let page = try ReplayPage(reply)
        for event in page.events where event.seq > lastSeq {
            deliver(event)
        }
        // The next page is asked for only once this one is handed out, so a stream resuming
        // from far back holds one page at a time, not the whole history.
        hasMoreHistory = page.hasMore
    }

    /// Starts after `seq`, the last event a client says it saw (an SSE `Last-Event-ID`). A `seq`
    /// beyond the bus's latest (the client saw a history that is gone, as after a backup was
    /// restored) cannot be resumed: like one older than the history, it starts over from a
    /// snapshot, yielded as a resync (contract section 11), instead of waiting in silence for
    /// events numbered past it. Only a replay that brings nothing needs the snapshot to tell
    /// "up to date" from "beyond": a client that missed events pays for no `calls.list`.
    mutating func resume(after seq: UInt64) async throws {
        try await fill(after: seq)
        guard ready.isEmpty else { return }
        let reply = try await snapshot()
        let latest = reply.seq ?? 0
        guard seq > latest else { return }
        lastSeq = latest
        lastOwnerSeq = nil
        hasMoreHistory = false
        ready.append(.resync(reply))
    }

    /// Starts over from a `calls.list` snapshot, yielding it when it replaces a lost history.
    mutating func takeSnapshot(yielding: Bool) async throws {
        let reply = try await snapshot()
        lastSeq = reply.seq ?? 0
        lastOwnerSeq = nil
        if yielding { ready.append(.resync(reply)) }
    }

    /// A successful `calls.list` reply; only its `seq` is read, the calls stay bytes.
    /// - Throws: the bus's refusal, or ``BusUnavailableError``.
    private func snapshot() async throws -> ParsedReply {
        let reply = try await client.send(BusRequest(operation: .listCalls, user: user)).checked()
        guard reply.seq != nil else { throw CallsError.internal("the calls.list reply has no seq") }
        return reply
    }

    private mutating func deliver(_ event: BusEvent) {
        lastSeq = event.seq
        lastOwnerSeq = event.ownerSeq
        ready.append(.event(event))
    }
}
