/// Bytes on the evapi connection that are not netstrings.
public struct NetstringError: Error, Sendable, Hashable {
    /// What was wrong.
    public var reason: String
}
