/// Why `calls-proxy` cannot start: one sentence for an operator.
public struct ProxyError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong, as a set that can grow without breaking callers.
    public struct Code: Hashable, Sendable {
        private enum Base: Hashable, Sendable {
            case curveUnusable
            case insecureBind
        }

        private let base: Base

        private init(_ base: Base) { self.base = base }

        /// A CURVE certificate, the clients folder or the directory they need cannot be used.
        public static let curveUnusable = Code(.curveUnusable)
        /// An endpoint beyond loopback was to be bound without CURVE and without `--insecure`.
        public static let insecureBind = Code(.insecureBind)
    }

    /// The category of the failure.
    public var code: Code
    /// The sentence for the operator.
    public var message: String
    /// The error behind it.
    public var underlying: (any Error)?

    /// Creates an error.
    public init(code: Code, message: String, underlying: (any Error)? = nil) {
        self.code = code
        self.message = message
        self.underlying = underlying
    }

    public var description: String { underlying.map { "\(message): \($0)" } ?? message }

    /// Errors are equal when their codes are.
    public static func == (lhs: ProxyError, rhs: ProxyError) -> Bool { lhs.code == rhs.code }
}
