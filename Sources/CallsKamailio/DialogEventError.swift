/// An evapi payload that is not a dialog event.
public struct DialogEventError: Error, Sendable, Hashable {
    /// What was wrong.
    public var reason: String
}
