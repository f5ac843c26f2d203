/// An accepted change to a call: what the service stores and publishes.
public struct CallChange: Sendable, Hashable {
    /// The call after the change.
    public var call: Call
    /// Why the change is published.
    public var notification: NotificationType
    /// The digits sent, for a ``NotificationType/dtmfSent`` change; `nil` otherwise.
    public var digits: String?

    /// Creates a change.
    public init(call: Call, notification: NotificationType, digits: String? = nil) {
        self.call = call
        self.notification = notification
        self.digits = digits
    }
}
