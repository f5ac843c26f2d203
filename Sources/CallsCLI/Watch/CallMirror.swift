import Calls
import CallsBusMessages

/// A subscriber's copy of the calls: a `calls.list` snapshot, then each event's call.
///
/// Events numbered at or below the snapshot's `seq` are already in it and are not applied again,
/// so a mirror taken after the subscription started never goes back in time.
struct CallMirror: Sendable {
    /// The calls by id.
    private(set) var calls: [String: CallResource] = [:]
    /// The `seq` of the last event the mirror holds.
    private(set) var seq: UInt64

    /// A mirror of a `calls.list` reply.
    init(snapshot: CallsSnapshot) {
        seq = snapshot.seq
        reload(snapshot)
    }

    /// Starts over from a `calls.list` reply (after the history no longer reached back).
    mutating func reload(_ snapshot: CallsSnapshot) {
        calls = Dictionary(snapshot.calls.map { ($0.id, $0) }, uniquingKeysWith: { _, last in last })
        seq = snapshot.seq
    }

    /// Applies an event's call when it is newer than what the mirror holds.
    /// - Returns: whether it was applied.
    @discardableResult
    mutating func apply(_ event: EventMessage) -> Bool {
        guard event.seq > seq else { return false }
        calls[event.call.id] = event.call
        seq = event.seq
        return true
    }

    /// Each call's id and state, sorted by id: what a test compares with the bus's `calls.list`.
    var states: [(id: String, state: CallState)] {
        calls.values.sorted { $0.id < $1.id }.map { ($0.id, $0.state) }
    }
}
