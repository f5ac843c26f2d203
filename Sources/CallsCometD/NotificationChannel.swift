/// The channels a GWS client may subscribe to, and what each pattern covers.
enum NotificationChannel {
    /// Call events: the bus's call event bodies.
    static let calls = "/v2/me/calls"
    /// Device events: the bus's device event bodies.
    static let devices = "/v2/me/devices"
    /// Every channel one segment below `/v2/me`.
    static let anyOne = "/v2/me/*"
    /// Every channel below `/v2/me`.
    static let anyBelow = "/v2/me/**"

    /// The subscriptions a client may make; any other is denied.
    static let subscribable: Set<String> = [calls, devices, anyOne, anyBelow]

    /// The subscriptions that deliver call events.
    static let coveringCalls: Set<String> = [calls, anyOne, anyBelow]

    /// The subscriptions that deliver device events.
    static let coveringDevices: Set<String> = [devices, anyOne, anyBelow]
}
