import CallsBusMessages

/// What one watch has seen so far: the counts the summary prints, and the mirror.
struct WatchState: Sendable {
    /// Events received (live or filled from the history).
    var events = 0
    /// Gaps reported and filled from `events.replay`.
    var gapsFilled = 0
    /// Times the history no longer reached back and the mirror was reloaded.
    var resyncs = 0
    /// The calls as the events left them.
    var mirror: CallMirror
    /// The highest `seq` delivered or snapshotted: where a final catch-up starts.
    var lastSeq: UInt64
    /// Why the stream stopped early (the bus went away), if it did.
    var failure: (any Error)?

    /// A state starting from a `calls.list` snapshot.
    init(snapshot: CallsSnapshot) {
        mirror = CallMirror(snapshot: snapshot)
        lastSeq = snapshot.seq
    }

    /// Counts an event and applies it to the mirror.
    mutating func record(_ event: EventMessage) {
        events += 1
        mirror.apply(event)
        lastSeq = max(lastSeq, event.seq)
    }

    /// Counts a resync and reloads the mirror.
    mutating func reload(_ snapshot: CallsSnapshot) {
        resyncs += 1
        mirror.reload(snapshot)
        lastSeq = snapshot.seq
    }
}
