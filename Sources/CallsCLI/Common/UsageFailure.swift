/// A problem with what the user gave that only shows once the command runs (an unreadable
/// directory file, one without agents): reported like a usage error, exit code 2.
struct UsageFailure: Error, Sendable, CustomStringConvertible {
    /// What is wrong, in one line.
    var message: String

    /// Creates a failure.
    init(_ message: String) {
        self.message = message
    }

    /// The message.
    var description: String { message }
}
