/// A benchmark that could not run as planned: a reply that never came, a server that refused.
package struct BenchError: Error, CustomStringConvertible {
    /// What did not happen.
    package var description: String

    /// Creates an error.
    package init(_ description: String) { self.description = description }
}
