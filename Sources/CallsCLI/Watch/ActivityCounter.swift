import Synchronization

/// Counts what a watch received, so that the idle timer can tell whether anything arrived.
final class ActivityCounter: Sendable {
    private let count = Atomic<Int>(0)

    /// Creates a counter at zero.
    init() {}

    /// Notes one more item.
    func bump() {
        count.add(1, ordering: .relaxed)
    }

    /// The items noted so far.
    var value: Int {
        count.load(ordering: .relaxed)
    }

    /// Returns once `seconds` of idleness have been counted.
    ///
    /// Idleness is counted in short ticks rather than read from the clock: a process suspended
    /// with SIGSTOP must not find on resuming that its whole pause counted as idle time, before
    /// it has read what queued up meanwhile.
    /// - Throws: `CancellationError` when the task is cancelled first.
    func waitForIdleness(seconds: Double) async throws {
        let tick = 0.1
        var idle = 0.0
        var seen = value
        while idle < seconds {
            try await Task.sleep(for: .seconds(tick))
            let now = value
            if now != seen {
                seen = now
                idle = 0
            } else {
                idle += tick
            }
        }
    }
}
