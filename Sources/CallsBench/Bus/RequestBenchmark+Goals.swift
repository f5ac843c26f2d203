import CallsLoad

extension RequestBenchmark {
    /// The limits a `calls.get` comparison is checked against.
    struct Goals: Sendable {
        /// bus p50 ÷ baseline p50 at one client, at most.
        var p50Ratio: Double
        /// bus req/s ÷ baseline req/s at eight lockstep clients, at least.
        var lockstepShare: Double
        /// bus req/s ÷ baseline req/s at eight clients with eight in flight each, at least.
        var pipelinedShare: Double
    }

    /// The request goals: p50 at one client, throughput at eight lockstep and eight pipelined.
    /// - Parameters:
    ///   - result: what was measured.
    ///   - goals: the limits.
    ///   - subject: how the goal names the two servers (`service / baseline`).
    static func goals(of result: Result, _ goals: Goals, subject: String) -> [GoalCheck] {
        var checks: [GoalCheck] = []
        for comparison in result.comparisons {
            switch (comparison.shape.clients, comparison.shape.inFlight) {
            case (1, 1):
                checks.append(
                    GoalCheck(
                        name: "calls.get p50, \(subject), 1 client",
                        measured: String(format2: comparison.p50Ratio),
                        target: "≤ \(String(format2: goals.p50Ratio))", isMet: comparison.p50Ratio <= goals.p50Ratio))
            case (8, 1), (8, 8):
                let target = comparison.shape.inFlight == 1 ? goals.lockstepShare : goals.pipelinedShare
                checks.append(
                    GoalCheck(
                        name: "calls.get req/s, \(subject), \(comparison.shape.name)",
                        measured: String(percent: comparison.throughputRatio), target: "≥ \(String(percent: target))",
                        isMet: comparison.throughputRatio >= target))
            default:
                break
            }
        }
        return checks
    }
}
