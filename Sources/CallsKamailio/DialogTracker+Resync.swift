public import Calls

/// A call of this adapter as the bus holds it (from `calls.list`).
public struct BusCall: Sendable, Hashable {
    /// The bus call id.
    public var callId: String
    /// Its device.
    public var deviceId: String
    /// Its state.
    public var state: CallState

    /// Creates one.
    public init(callId: String, deviceId: String, state: CallState) {
        self.callId = callId
        self.deviceId = deviceId
        self.state = state
    }
}

/// What a resynchronisation asks of the adapter.
public struct Resynchronisation: Sendable, Hashable {
    /// Telephony events that bring the bus to Kamailio's dialogs, in order.
    public var events: [TelephonyEvent]
    /// Confirmed dialogs whose call the bus released while the adapter was away (a REST `Hangup`
    /// it missed): end them with `dlg.end_dlg`.
    public var dialogsToEnd: [DialogKey]
}

extension DialogTracker {
    /// Starts over from Kamailio's live dialogs and the bus's calls of this adapter: creates what
    /// the bus lacks, moves what differs, releases the bus's live calls of dialogs that ended
    /// meanwhile, and remembers each dialog's `seq` so that events already seen are skipped.
    /// - Parameters:
    ///   - snapshots: `dlg.list`, read after the evapi connection was made.
    ///   - busCalls: the calls of `calls.list` that ``CallNaming`` names, read after `dlg.list`.
    public mutating func resynchronise(dialogs snapshots: [DialogSnapshot], busCalls: [BusCall]) -> Resynchronisation {
        let bus = Dictionary(busCalls.map { ($0.callId, $0) }, uniquingKeysWith: { first, _ in first })
        var tracked: [String: Tracked] = [:]
        var matched: Set<String> = []
        var events: [TelephonyEvent] = []
        var dialogsToEnd: [DialogKey] = []
        for snapshot in snapshots {
            let created = creation(sipCallId: snapshot.sipCallId, caller: snapshot.caller, callee: snapshot.callee)
            guard !created.legs.isEmpty else { continue }
            let holder = snapshot.heldBy.flatMap { devicesByNumber[$0] }
            var legs: [Leg] = []
            var wasReleasedOnBus = false
            for (leg, creating) in zip(created.legs, created.events) {
                matched.insert(leg.callId)
                let wanted: CallState =
                    !snapshot.isConfirmed ? leg.state : (holder == leg.deviceId ? .held : .established)
                var current = leg.state
                if let known = bus[leg.callId] {
                    current = known.state
                } else {
                    events.append(creating)
                }
                if current == .released {
                    wasReleasedOnBus = true
                    legs.append(Leg(deviceId: leg.deviceId, callId: leg.callId, state: .released))
                    continue
                }
                events += Self.steps(from: current, to: wanted).map {
                    TelephonyEvent(type: $0, callId: leg.callId, deviceId: leg.deviceId)
                }
                legs.append(Leg(deviceId: leg.deviceId, callId: leg.callId, state: wanted))
            }
            if wasReleasedOnBus, snapshot.isConfirmed { dialogsToEnd.append(snapshot.key) }
            tracked[snapshot.sipCallId] = Tracked(key: snapshot.key, seq: snapshot.seq, legs: legs)
        }
        for call in busCalls where call.state != .released && !matched.contains(call.callId) {
            events.append(TelephonyEvent(type: .released, callId: call.callId, deviceId: call.deviceId))
            if let parts = CallNaming.parts(of: call.callId) { noteEnded(parts.escapedSipCallId) }
        }
        replace(with: tracked)
        return Resynchronisation(events: events, dialogsToEnd: dialogsToEnd)
    }

    /// The telephony events that take a call from `current` to `wanted`; none when the contract
    /// has no way there (a proxy cannot take an answered call back to ringing).
    static func steps(from current: CallState, to wanted: CallState) -> [TelephonyEventType] {
        switch (current, wanted) {
        case (.ringing, .established), (.dialing, .established): [.established]
        case (.ringing, .held), (.dialing, .held): [.established, .held]
        case (.established, .held): [.held]
        case (.held, .established): [.retrieved]
        default: []
        }
    }
}
