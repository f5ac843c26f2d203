/// A line the directory names, with its owner's agent state and its own do-not-disturb setting
/// (contract section 8). Its JSON object is made by `DevicePresentation` in `CallsBusMessages`.
public struct Device: Sendable, Hashable {
    /// The device's id, as the directory gives it.
    public var id: String
    /// The device's number, as the directory gives it.
    public var phoneNumber: String?
    /// The principal owning the device; `nil` when no one does.
    public var ownerId: String?
    /// The owner's agent state; `LoggedOut` for a device without an owner.
    public var userState: AgentState
    /// The device's do-not-disturb setting.
    public var doNotDisturb: DoNotDisturb

    /// Creates a device.
    public init(
        id: String,
        phoneNumber: String? = nil,
        ownerId: String? = nil,
        userState: AgentState = .loggedOut,
        doNotDisturb: DoNotDisturb = .off
    ) {
        self.id = id
        self.phoneNumber = phoneNumber
        self.ownerId = ownerId
        self.userState = userState
        self.doNotDisturb = doNotDisturb
    }

    /// The device operations allowed now: `DoNotDisturbOn` when off, `DoNotDisturbOff` when on.
    public var capabilities: [DeviceOperation] {
        doNotDisturb == .off ? [.doNotDisturbOn] : [.doNotDisturbOff]
    }
}
