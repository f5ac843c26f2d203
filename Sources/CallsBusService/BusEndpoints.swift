/// The endpoints the service actually bound (`tcp://127.0.0.1:*` becomes a real port).
public struct BusEndpoints: Sendable, Hashable {
    /// Where requests are answered.
    public var request: String
    /// Where events are published.
    public var events: String

    /// Creates the pair.
    public init(request: String, events: String) {
        self.request = request
        self.events = events
    }
}
