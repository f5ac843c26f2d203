public import Calls

/// What the adapter knows of Kamailio's dialogs, and the telephony events each dialog event means.
///
/// It does no I/O: the adapter feeds it dialog events, bus releases and resynchronisations, and
/// sends what it returns. A dialog between a number and an agent's device is one call on that
/// device; a dialog between two agents' devices is two calls, one per device (contract section 1),
/// each named by ``CallNaming``. Events of a dialog whose `seq` was already seen are repeats.
public struct DialogTracker: Sendable {
    /// One device's call in a dialog.
    public struct Leg: Sendable, Hashable {
        /// The device.
        public var deviceId: String
        /// The bus call id.
        public var callId: String
        /// The state last reported to the bus.
        public var state: CallState
    }

    /// A live dialog with at least one agent's device in it.
    public struct Tracked: Sendable, Hashable {
        /// Its keys, for `dlg.end_dlg`.
        public var key: DialogKey
        /// The last event `seq` applied.
        public var seq: Int
        /// The calls on the devices.
        public var legs: [Leg]
    }

    /// What an event came to.
    public enum Outcome: Sendable, Hashable {
        /// Report these events to the bus, in order (maybe none).
        case report([TelephonyEvent])
        /// Already applied (its `seq` was seen): nothing to report.
        case repeated
        /// Neither party is an agent's device: the bus has no call for it.
        case notOurs
    }

    /// Devices by their `phoneNumber` (contract section 7).
    public let devicesByNumber: [String: String]
    /// The live dialogs with an agent in them, by SIP Call-ID.
    public private(set) var dialogs: [String: Tracked] = [:]
    private var recentlyEnded = RecentNames(capacity: 100_000)

    /// Creates a tracker that knows no dialog.
    /// - Parameter devicesByNumber: the device of each phone number.
    public init(devicesByNumber: [String: String]) {
        self.devicesByNumber = devicesByNumber
    }

    /// The telephony events that `event` means, and the tracker's new state.
    public mutating func apply(_ event: DialogEvent) -> Outcome {
        var tracked: Tracked
        var events: [TelephonyEvent] = []
        if let known = dialogs[event.sipCallId] {
            guard event.seq > known.seq else { return .repeated }
            tracked = known
        } else {
            guard !recentlyEnded.contains(event.sipCallId) else { return .repeated }
            guard event.kind != .ended, event.kind != .failed else {
                recentlyEnded.insert(event.sipCallId)
                return isOurs(caller: event.caller, callee: event.callee) ? .report([]) : .notOurs
            }
            let created = creation(sipCallId: event.sipCallId, caller: event.caller, callee: event.callee)
            guard !created.legs.isEmpty else { return .notOurs }
            tracked = Tracked(key: event.key, seq: 0, legs: created.legs)
            events = created.events
        }
        tracked.seq = event.seq
        switch event.kind {
        case .invite:
            break
        case .answered:
            events += move(&tracked, from: [.ringing, .dialing], to: .established, as: .established)
        case .hold:
            events += move(&tracked, from: [.established], to: .held, as: .held, onlyDeviceOf: event.by)
        case .retrieve:
            events += move(&tracked, from: [.held], to: .established, as: .retrieved, onlyDeviceOf: event.by)
        case .ended, .failed:
            events += release(tracked)
            dialogs[event.sipCallId] = nil
            recentlyEnded.insert(event.sipCallId)
            return .report(events)
        }
        dialogs[event.sipCallId] = tracked
        return .report(events)
    }

    /// Notes that the bus released `callId` (a `Hangup` or `SingleStepTransfer` through the REST API)
    /// and returns the dialog to end, when the call is one of a live dialog's and was not released
    /// by the switch already.
    public mutating func busReleased(callId: String) -> DialogKey? {
        guard let parts = CallNaming.parts(of: callId), devicesByNumber.values.contains(parts.deviceId) else {
            return nil
        }
        for (sipCallId, var tracked) in dialogs {
            guard let index = tracked.legs.firstIndex(where: { $0.callId == callId }) else { continue }
            guard tracked.legs[index].state != .released else { return nil }
            tracked.legs[index].state = .released
            dialogs[sipCallId] = tracked
            return tracked.key
        }
        return nil
    }

    /// Whether the dialog between `caller` and `callee` has an agent's device in it.
    public func isOurs(caller: String, callee: String) -> Bool {
        devicesByNumber[caller] != nil || devicesByNumber[callee] != nil
    }

    /// The calls a new dialog makes, with their creating events: `Ringing` on the callee's device
    /// (`ani` the caller), `Dialing` on the caller's; `Internal` (no `ani`: the contract keeps it for
    /// `Inbound` calls only) when both are agents' devices.
    func creation(sipCallId: String, caller: String, callee: String) -> (legs: [Leg], events: [TelephonyEvent]) {
        let callerDevice = devicesByNumber[caller]
        let calleeDevice = devicesByNumber[callee]
        let isInternal = callerDevice != nil && calleeDevice != nil
        var legs: [Leg] = []
        var events: [TelephonyEvent] = []
        if let device = callerDevice {
            let callId = CallNaming.callId(sipCallId: sipCallId, deviceId: device)
            legs.append(Leg(deviceId: device, callId: callId, state: .dialing))
            events.append(
                TelephonyEvent(
                    type: .dialing, callId: callId, deviceId: device, callType: isInternal ? .internal : .outbound,
                    participants: [callee]))
        }
        if let device = calleeDevice, device != callerDevice {
            let callId = CallNaming.callId(sipCallId: sipCallId, deviceId: device)
            legs.append(Leg(deviceId: device, callId: callId, state: .ringing))
            events.append(
                TelephonyEvent(
                    type: .ringing, callId: callId, deviceId: device, callType: isInternal ? .internal : .inbound,
                    participants: [caller], ani: isInternal ? nil : caller))
        }
        return (legs, events)
    }

    /// Moves the legs in one of `states` (only the device of the number `by`, when given) to
    /// `target`, reporting `type` for each.
    func move(
        _ tracked: inout Tracked, from states: Set<CallState>, to target: CallState, as type: TelephonyEventType,
        onlyDeviceOf by: String? = nil
    ) -> [TelephonyEvent] {
        let device = by.flatMap { devicesByNumber[$0] }
        var events: [TelephonyEvent] = []
        for index in tracked.legs.indices where states.contains(tracked.legs[index].state) {
            if by != nil, tracked.legs[index].deviceId != device { continue }
            tracked.legs[index].state = target
            events.append(
                TelephonyEvent(type: type, callId: tracked.legs[index].callId, deviceId: tracked.legs[index].deviceId))
        }
        return events
    }

    /// `Released` for every leg not released yet.
    func release(_ tracked: Tracked) -> [TelephonyEvent] {
        tracked.legs.filter { $0.state != .released }.map {
            TelephonyEvent(type: .released, callId: $0.callId, deviceId: $0.deviceId)
        }
    }

    /// Replaces what the tracker knows (after a resynchronisation).
    mutating func replace(with dialogs: [String: Tracked]) {
        self.dialogs = dialogs
    }

    /// Remembers that a dialog ended, so that its late events are repeats.
    mutating func noteEnded(_ sipCallId: String) {
        recentlyEnded.insert(sipCallId)
    }
}
