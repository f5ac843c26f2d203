import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The live one-line progress of a simulation on stderr, redrawn in place, when stderr is a terminal.
struct ProgressDisplay: Sendable {
    /// The counts to show.
    let tally: SimulationTally
    /// The plan's length in seconds, to show how far the run is.
    let length: Double

    /// Whether stderr is a terminal: only then is a line redrawn in place readable.
    static var isAvailable: Bool {
        isatty(STDERR_FILENO) == 1
    }

    /// Redraws the line four times a second until cancelled, then clears it.
    /// - Parameter start: the instant the plan's time 0 stands for.
    func run(from start: ContinuousClock.Instant) async {
        // Calls per second over the last two seconds: recent enough to follow bursts, smooth enough to read.
        var samples: [(time: ContinuousClock.Instant, calls: Int)] = []
        while !Task.isCancelled {
            let now = ContinuousClock.now
            let counts = tally.current
            samples.append((now, counts.callsStarted))
            samples.removeAll { now - $0.time > .seconds(2) }
            let span = samples.first.map { now - $0.time } ?? .zero
            let rate = span > .milliseconds(200) ? Double(counts.callsStarted - samples[0].calls) / span.seconds : 0
            let elapsed = (now - start).seconds
            let line =
                "\(String(format: "%.1f", rate)) calls/s  live \(counts.liveCalls.count)  events \(counts.eventsSent)"
                + "  operations \(counts.operationsSent)  errors \(counts.errorCount)"
                + "  \(String(format: "%.0f", min(elapsed, length)))/\(String(format: "%.0f", length)) s"
            // Carriage return and erase-line redraw the same terminal line.
            Output.rawError("\r\u{1B}[2K" + line)
            try? await Task.sleep(for: .milliseconds(250))
        }
        Output.rawError("\r\u{1B}[2K")
    }
}

extension Duration {
    /// The duration in seconds, as a floating-point number.
    fileprivate var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
