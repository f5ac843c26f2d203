public import Calls

/// The changes of several requests, written in one transaction: the unit of durability.
public struct StoreBatch: Sendable {
    /// Events to append, in `seq` order.
    public var events: [StoredEvent] = []
    /// Calls whose current form changed, by id; the last one wins.
    public var changedCalls: [String: Call] = [:]
    /// Ids of calls to forget (released and past retention).
    public var removedCallIds: Set<String> = []
    /// Agent states that changed, by principal id; the last one wins.
    public var agentStates: [String: AgentState] = [:]
    /// Do-not-disturb settings that changed, by device id; the last one wins.
    public var doNotDisturb: [String: DoNotDisturb] = [:]
    /// The `deviceSeq` of the batch's last device event, if it has one.
    public var deviceSeq: UInt64?

    /// Creates an empty batch.
    public init() {}

    /// `true` when committing the batch would change nothing.
    public var isEmpty: Bool {
        events.isEmpty && changedCalls.isEmpty && removedCallIds.isEmpty && deviceSeq == nil
    }

    /// Records an event and the call as it is after it.
    public mutating func append(_ event: StoredEvent, call: Call) {
        events.append(event)
        changedCalls[call.id] = call
        removedCallIds.remove(call.id)
    }

    /// Records a device event: the device's owner's agent state and its do-not-disturb setting as
    /// they are after it.
    public mutating func append(_ event: DeviceEvent) {
        deviceSeq = event.deviceSeq
        if let owner = event.device.ownerId { agentStates[owner] = event.device.userState }
        doNotDisturb[event.device.id] = event.device.doNotDisturb
    }

    /// Records that a call is gone.
    public mutating func remove(callId: String) {
        changedCalls[callId] = nil
        removedCallIds.insert(callId)
    }
}
