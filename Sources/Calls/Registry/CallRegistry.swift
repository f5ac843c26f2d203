public import Foundation

/// The current calls, indexed by id and by owner, and the event counters.
///
/// Not thread-safe: one loop owns it. Each accepted event or operation bumps ``seq`` and the
/// owner's ``ownerSeqs`` entry by one; refused ones change nothing.
public struct CallRegistry: Sendable {
    /// The owner id of calls on a device that no principal owns.
    public static let unownedOwnerId = "-"
    /// How long a released call stays visible by default, in seconds.
    public static let defaultReleasedRetention: TimeInterval = 60

    /// Who owns which device.
    public let directory: Directory
    /// How long a released call stays visible, in seconds.
    public let releasedRetention: TimeInterval
    /// The number of the last accepted event; 0 before the first.
    public private(set) var seq: UInt64
    /// Per owner id, the number of the owner's last event.
    public private(set) var ownerSeqs: [String: UInt64]
    private var callsById: [String: Call] = [:]
    private var callIdsByOwner: [String: Set<String>] = [:]
    /// Released calls only, so expiry costs in proportion to them, not to every live call.
    private var releasedCallIds: Set<String> = []
    /// Per call id, the calls that name it as their parent (consult calls), released ones included.
    var consultIdsByParent: [String: Set<String>] = [:]
    /// Makes the id of a call the bus creates (`Dial`, `Initiate*`); random 128-bit hex by default,
    /// settable so that tests know the ids.
    public var makeCallId: @Sendable () -> String = CallRegistry.randomCallId

    /// Creates an empty registry.
    /// - Parameters:
    ///   - directory: says which principal owns a call's device.
    ///   - releasedRetention: seconds a released call stays visible (`--released-retention`).
    public init(directory: Directory, releasedRetention: TimeInterval = defaultReleasedRetention) {
        self.init(directory: directory, releasedRetention: releasedRetention, calls: [], seq: 0, ownerSeqs: [:])
    }

    /// Restores a registry from what a durable store kept; numbering goes on after `seq` and `ownerSeqs`.
    /// - Parameters:
    ///   - directory: says which principal owns a call's device; owners are worked out anew from it.
    ///   - releasedRetention: seconds a released call stays visible.
    ///   - calls: the calls kept, released ones included; a repeated id keeps the last.
    ///   - seq: the number of the last event applied to these calls.
    ///   - ownerSeqs: per owner id, the number of its last event.
    public init(
        directory: Directory,
        releasedRetention: TimeInterval = defaultReleasedRetention,
        calls: [Call],
        seq: UInt64,
        ownerSeqs: [String: UInt64]
    ) {
        self.directory = directory
        self.releasedRetention = releasedRetention
        self.seq = seq
        self.ownerSeqs = ownerSeqs
        for call in calls {
            store(call)
        }
    }

    /// The owner id for calls on `deviceId`: its owner's principal id, or `-`.
    public func ownerId(ofDevice deviceId: String) -> String {
        directory.owner(ofDevice: deviceId) ?? Self.unownedOwnerId
    }

    /// The number of the last event of `ownerId`'s calls; 0 before the first.
    public func ownerSeq(of ownerId: String) -> UInt64 {
        ownerSeqs[ownerId] ?? 0
    }

    /// The call with this id, released ones included until they expire.
    public func call(id: String) -> Call? {
        callsById[id]
    }

    /// Every call, sorted by id: what a durable store would keep.
    public var allCalls: [Call] {
        callsById.values.sorted { $0.id < $1.id }
    }

    /// The calls `principal` may see, sorted by id: every call for an admin, the calls on its own devices
    /// for an agent (read from the owner index, so it costs in proportion to them), none for Telephony.
    public func calls(visibleTo principal: Principal) -> [Call] {
        switch principal.role {
        case .contactCenterAdmin:
            return allCalls
        case .agent:
            let ids = callIdsByOwner[principal.id] ?? []
            return ids.compactMap { callsById[$0] }.sorted { $0.id < $1.id }
        case .telephony:
            return []
        }
    }

    /// Applies a telephony event (contract section 5).
    /// - Returns: the numbered events, or the refusal (1 or 2) with nothing changed. A released call past
    ///   its retention counts as gone, so its id may be reused even before ``expireReleased(now:)`` ran.
    public mutating func apply(_ event: TelephonyEvent, at now: Date) -> Result<AcceptedChange, CallsError> {
        let current = callsById[event.callId].flatMap { isExpired($0, at: now) ? nil : $0 }
        var machine = CallStateMachine(call: current, pair: current.flatMap(pairRole(of:)))
        return record(machine.apply(event, at: now, parent: event.parentCallId.flatMap { callsById[$0] }))
    }

    /// Performs an operation on a call; access must have been checked before.
    /// - Returns: the numbered events, or the refusal (6 for an unknown call, 2 when not allowed now).
    public mutating func perform(
        _ operation: CallOperation,
        callId: String,
        at now: Date
    ) -> Result<AcceptedChange, CallsError> {
        guard let call = callsById[callId] else {
            return .failure(AccessPolicy.notFound(id: callId))
        }
        var machine = CallStateMachine(call: call, pair: pairRole(of: call))
        switch operation {
        case .initiateTransfer, .initiateConference:
            let newCallId = freshCallId()
            return record(machine.perform(operation, at: now, newCallId: newCallId), created: newCallId)
        default:
            return record(machine.perform(operation, at: now))
        }
    }

    /// Drops released calls whose retention has passed at `now`, and returns them (for the store to delete).
    /// Dropping publishes no event and takes no number; a released call without ``Call/releasedAt`` counts as
    /// expired. Call it regularly (say, every second) so that lists stop showing expired calls on time.
    public mutating func expireReleased(now: Date) -> [Call] {
        let expired = releasedCallIds.compactMap { callsById[$0] }.filter { isExpired($0, at: now) }
            .sorted { $0.id < $1.id }
        for call in expired {
            remove(call)
        }
        return expired
    }

    private func isExpired(_ call: Call, at now: Date) -> Bool {
        guard call.state == .released else {
            return false
        }
        guard let releasedAt = call.releasedAt else {
            return true
        }
        return now.timeIntervalSince(releasedAt) >= releasedRetention
    }

    mutating func record(
        _ action: CallStateMachine.Action, created: String? = nil
    ) -> Result<AcceptedChange, CallsError> {
        switch action {
        case .refuse(let error):
            return .failure(error)
        case .publish(let changes):
            return .success(AcceptedChange(events: commit(changes), createdCallId: created))
        }
    }

    /// Stores the changed calls, adds a `StatusChange` for every consult partner whose capabilities
    /// changed with them (contract section 2), and numbers the events in that order.
    private mutating func commit(_ changes: [CallChange]) -> [CallEvent] {
        let changedIds = Set(changes.map(\.call.id))
        var partnerIds: [String] = []
        for change in changes {
            for call in [callsById[change.call.id], change.call].compactMap({ $0 }) {
                for id in consultRelatives(of: call) where !changedIds.contains(id) && !partnerIds.contains(id) {
                    partnerIds.append(id)
                }
            }
        }
        let before = partnerIds.map { id in callsById[id].map(capabilities(of:)) }
        for change in changes { store(change.call) }
        var all = changes
        for (id, capabilitiesBefore) in zip(partnerIds, before) {
            guard let partner = callsById[id], Set(capabilities(of: partner)) != Set(capabilitiesBefore ?? []) else {
                continue
            }
            all.append(CallChange(call: partner, notification: .statusChange))
        }
        return all.map { number($0) }
    }

    /// Gives a stored change's event the next `seq` and its owner's next `ownerSeq`.
    private mutating func number(_ change: CallChange) -> CallEvent {
        let owner = ownerId(ofDevice: change.call.deviceId)
        seq += 1
        let ownerSeq = ownerSeq(of: owner) + 1
        ownerSeqs[owner] = ownerSeq
        return CallEvent(
            seq: seq,
            ownerSeq: ownerSeq,
            ownerId: owner,
            notification: change.notification,
            call: change.call,
            digits: change.digits,
            capabilities: capabilities(of: change.call)
        )
    }

    @discardableResult
    mutating func store(_ call: Call) -> String {
        if let previous = callsById[call.id] {
            remove(previous)
        }
        let owner = ownerId(ofDevice: call.deviceId)
        callsById[call.id] = call
        callIdsByOwner[owner, default: []].insert(call.id)
        if call.state == .released { releasedCallIds.insert(call.id) }
        if let parentCallId = call.parentCallId { consultIdsByParent[parentCallId, default: []].insert(call.id) }
        return owner
    }

    private mutating func remove(_ call: Call) {
        callsById[call.id] = nil
        releasedCallIds.remove(call.id)
        let owner = ownerId(ofDevice: call.deviceId)
        callIdsByOwner[owner]?.remove(call.id)
        if callIdsByOwner[owner]?.isEmpty == true {
            callIdsByOwner[owner] = nil
        }
        if let parentCallId = call.parentCallId {
            consultIdsByParent[parentCallId]?.remove(call.id)
            if consultIdsByParent[parentCallId]?.isEmpty == true { consultIdsByParent[parentCallId] = nil }
        }
    }
}
