import Glibc

/// Nanoseconds on `CLOCK_MONOTONIC`.
///
/// One clock for every thread: a send time taken on a client thread and a receive time taken on
/// the subscriber's thread can be subtracted, which `ContinuousClock.Instant` arithmetic also
/// allows but at a higher cost per reading inside tight loops.
package enum MonotonicClock {
    /// The current reading.
    package static func now() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
    }

    /// Nanoseconds in `seconds`, for deadlines.
    package static func nanoseconds(_ seconds: Double) -> UInt64 {
        UInt64(max(0, seconds) * 1e9)
    }

    /// Seconds between two readings.
    package static func seconds(from start: UInt64, to end: UInt64) -> Double {
        Double(end &- start) / 1e9
    }
}
