/// One accepted change, numbered: what the bus publishes and the store journals.
public struct CallEvent: Sendable, Hashable {
    /// The event's number across all calls: starts at 1, rises by exactly 1, across restarts.
    public var seq: UInt64
    /// The event's number among the events of calls of ``ownerId``.
    public var ownerSeq: UInt64
    /// The principal owning the call's device, or ``CallRegistry/unownedOwnerId`` (`-`).
    public var ownerId: String
    /// Why the event is published.
    public var notification: NotificationType
    /// The call after the change.
    public var call: Call
    /// The digits sent, for a ``NotificationType/dtmfSent`` event.
    public var digits: String?
    /// The call's capabilities at this event, its consult pair considered: what `calls.get` answers
    /// until the call changes again.
    public var capabilities: [Capability]

    /// Creates an event.
    public init(
        seq: UInt64,
        ownerSeq: UInt64,
        ownerId: String,
        notification: NotificationType,
        call: Call,
        digits: String? = nil,
        capabilities: [Capability]? = nil
    ) {
        self.seq = seq
        self.ownerSeq = ownerSeq
        self.ownerId = ownerId
        self.notification = notification
        self.call = call
        self.digits = digits
        self.capabilities = capabilities ?? call.capabilities
    }
}
