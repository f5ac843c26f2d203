/// A user or program of the directory: who may make requests, and which devices it owns.
public struct Principal: Sendable, Hashable {
    /// The id a request's `user` names, matched in exact case.
    public var id: String
    /// What the principal may do.
    public var role: Role
    /// The devices the principal owns; an agent sees calls on these only.
    public var devices: [String]
    /// The bcrypt hash of the principal's password; `nil` for one that cannot log in at the gateway.
    public var passwordHash: String?
    /// Whether, with CURVE on, its key may make requests for other users (the gateway's).
    public var actsForUsers: Bool
    /// The numbers of those of its ``devices`` that the directory gives one, by device id.
    public var devicePhoneNumbers: [String: String]

    /// Creates a principal.
    public init(
        id: String,
        role: Role,
        devices: [String] = [],
        passwordHash: String? = nil,
        actsForUsers: Bool = false,
        devicePhoneNumbers: [String: String] = [:]
    ) {
        self.id = id
        self.role = role
        self.devices = devices
        self.passwordHash = passwordHash
        self.actsForUsers = actsForUsers
        self.devicePhoneNumbers = devicePhoneNumbers
    }

    /// Whether the principal sees every call (a ``Role/contactCenterAdmin``).
    public var seesEveryCall: Bool {
        role == .contactCenterAdmin
    }
}
