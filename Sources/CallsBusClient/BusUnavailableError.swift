/// The bus did not answer: unreachable, too slow, or the client is shutting down.
///
/// Nothing is known about whether the request took effect; a gateway answers 503.
public struct BusUnavailableError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Why there is no answer.
    public var reason: String

    /// Creates the error.
    public init(reason: String) { self.reason = reason }

    public var description: String { "the bus is unavailable: \(reason)" }
}
