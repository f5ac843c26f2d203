/// One goal of the issue, checked against what this run measured.
struct GoalCheck: Sendable, Encodable {
    /// What is measured, in a few words.
    var name: String
    /// The measured value, formatted for the report.
    var measured: String
    /// The goal, formatted for the report (`< 1.5`, `≥ 80%`).
    var target: String
    /// Whether the measured value meets the goal.
    var isMet: Bool

    /// `PASS` or `FAIL`.
    var verdict: String { isMet ? "PASS" : "FAIL" }
}
