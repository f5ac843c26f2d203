/// A benchmark that could not run as planned: a reply that never came, a server that refused.
struct BenchError: Error, CustomStringConvertible {
    /// What did not happen.
    var description: String

    /// Creates an error.
    init(_ description: String) { self.description = description }
}
