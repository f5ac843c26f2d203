import Glibc
import Synchronization

/// Lets the client threads of one load shape start measuring at the same instant, after each has
/// connected and warmed up, so that the measured interval is the same for all of them.
package final class StartGate: Sendable {
    private let parties: Int
    private let arrived = Atomic<Int>(0)
    private let startTime = Atomic<UInt64>(0)

    /// Creates a gate for `parties` threads.
    package init(parties: Int) {
        self.parties = parties
    }

    /// Blocks the calling thread until every party has arrived, then returns the common start.
    /// - Throws: ``BenchError`` when the others do not arrive within `timeout` (one failed).
    package func arriveAndWait(timeout: Double = 30) throws -> UInt64 {
        if arrived.wrappingAdd(1, ordering: .acquiringAndReleasing).newValue == parties {
            startTime.store(MonotonicClock.now(), ordering: .releasing)
        }
        let giveUp = MonotonicClock.now() + MonotonicClock.nanoseconds(timeout)
        while true {
            let start = startTime.load(ordering: .acquiring)
            if start != 0 { return start }
            guard MonotonicClock.now() < giveUp else { throw BenchError("clients did not all connect in time") }
            // A short sleep rather than a spin: the clients share two cores with the server.
            usleep(100)
        }
    }
}
