/// A CLI test's failure, with a sentence saying what did not happen.
struct CLITestError: Error, CustomStringConvertible {
    /// What went wrong.
    var description: String

    /// Creates an error.
    init(_ description: String) { self.description = description }
}
