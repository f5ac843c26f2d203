/// Why `calls-proxy` cannot start: an unusable certificate or folder, or an endpoint it may not bind.
public struct ProxyError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, for the operator.
    public var message: String
    /// The error underneath, if any.
    public var underlying: (any Error)?

    /// Creates an error.
    public init(message: String, underlying: (any Error)? = nil) {
        self.message = message
        self.underlying = underlying
    }

    public var description: String { underlying.map { "\(message): \($0)" } ?? message }
}
