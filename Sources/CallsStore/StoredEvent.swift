public import Foundation

/// A published event as the journal keeps it: its numbers, its topic and the exact body bytes.
public struct StoredEvent: Sendable, Hashable {
    /// The global sequence number.
    public var seq: UInt64
    /// The principal owning the call's device (`-` when none).
    public var ownerId: String
    /// The sequence number among that owner's events.
    public var ownerSeq: UInt64
    /// The topic frame it was published under.
    public var topic: String
    /// The body frame, byte for byte as it was published.
    public var body: Data

    /// Creates a stored event.
    public init(seq: UInt64, ownerId: String, ownerSeq: UInt64, topic: String, body: Data) {
        self.seq = seq
        self.ownerId = ownerId
        self.ownerSeq = ownerSeq
        self.topic = topic
        self.body = body
    }
}
