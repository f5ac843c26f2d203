/// The principals that may use the service, and which device each owns (contract sections 3 and 7).
///
/// A directory is checked whole when it is made: ids are unique and well formed (contract section
/// 11), a device belongs to at most one principal, a `passwordHash` is bcrypt, and a `Telephony`
/// principal owns no device (it sees no call, so owning one would mean nothing).
public struct Directory: Sendable {
    /// The principals, in the order given.
    public let principals: [Principal]
    private let principalsById: [String: Principal]
    private let ownersByDevice: [String: String]
    /// Every device some principal owns, sorted by id.
    public let deviceIds: [String]

    /// The prefixes that mark a bcrypt hash.
    public static let bcryptPrefixes = ["$2a$", "$2b$", "$2y$"]

    /// The longest principal or device id.
    public static let maximumIdLength = 64

    /// Whether `id` may name a principal or a device: 1 to 64 characters of `A-Z a-z 0-9 . _ @ -`,
    /// and not `-` alone. Ids become parts of event topics (`calls/<owner>/<call>`) and URLs, so a
    /// `/` would let one owner's topic prefix match another's, and `-` is the no-owner mark.
    public static func isValidId(_ id: String) -> Bool {
        guard (1...maximumIdLength).contains(id.utf8.count), id != CallRegistry.unownedOwnerId else { return false }
        return id.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "@"),
                UInt8(ascii: "-"):
                true
            default: false
            }
        }
    }

    /// Creates a directory after checking its rules.
    /// - Throws: ``DirectoryError`` naming the first principal that breaks a rule, and the rule.
    public init(principals: [Principal]) throws(DirectoryError) {
        var principalsById: [String: Principal] = [:]
        var ownersByDevice: [String: String] = [:]
        for principal in principals {
            try Self.check(principal)
            guard principalsById[principal.id] == nil else {
                throw DirectoryError(
                    code: .duplicateId,
                    message: "principal '\(principal.id)' is listed twice; ids must be unique"
                )
            }
            principalsById[principal.id] = principal
            for device in principal.devices {
                if let owner = ownersByDevice[device], owner != principal.id {
                    throw DirectoryError(
                        code: .sharedDevice,
                        message: "principal '\(principal.id)': device '\(device)' is already owned by principal"
                            + " '\(owner)'; a device belongs to at most one principal"
                    )
                }
                ownersByDevice[device] = principal.id
            }
        }
        self.principals = principals
        self.principalsById = principalsById
        self.ownersByDevice = ownersByDevice
        deviceIds = ownersByDevice.keys.sorted()
    }

    /// The number the directory gives `deviceId`, if any.
    public func phoneNumber(ofDevice deviceId: String) -> String? {
        ownersByDevice[deviceId].flatMap { principalsById[$0]?.devicePhoneNumbers[deviceId] }
    }

    /// The principal with exactly this id (case-sensitive), if any.
    public func principal(id: String) -> Principal? {
        principalsById[id]
    }

    /// The id of the principal owning `deviceId`, or `nil` when no one does.
    public func owner(ofDevice deviceId: String) -> String? {
        ownersByDevice[deviceId]
    }

    private static let idRule =
        "an id is 1 to \(maximumIdLength) characters of A-Z a-z 0-9 . _ @ -, and not '-' alone"

    private static func check(_ principal: Principal) throws(DirectoryError) {
        let name = "principal '\(principal.id)'"
        guard !principal.id.isEmpty else {
            throw DirectoryError(code: .missingId, message: "a principal has an empty id")
        }
        guard isValidId(principal.id) else {
            throw DirectoryError(code: .invalidId, message: "\(name): " + idRule)
        }
        if let hash = principal.passwordHash, !bcryptPrefixes.contains(where: hash.hasPrefix) {
            throw DirectoryError(
                code: .invalidPasswordHash,
                message: "\(name): passwordHash is not a bcrypt hash (it must start with $2a$, $2b$ or $2y$)"
            )
        }
        if principal.devices.contains(where: \.isEmpty) {
            throw DirectoryError(code: .invalidDevice, message: "\(name): a device id is empty")
        }
        if let device = principal.devices.first(where: { !isValidId($0) }) {
            throw DirectoryError(code: .invalidDevice, message: "\(name): device '\(device)': " + idRule)
        }
        if let device = principal.devicePhoneNumbers.keys.sorted().first(where: { !principal.devices.contains($0) }) {
            throw DirectoryError(
                code: .invalidDevice,
                message: "\(name): a phone number is given for device '\(device)', which it does not own")
        }
        if let (device, _) = principal.devicePhoneNumbers.sorted(by: { $0.key < $1.key }).first(where: {
            $0.value.isEmpty || $0.value.unicodeScalars.count > Self.maximumIdLength
        }) {
            throw DirectoryError(
                code: .invalidDevice,
                message: "\(name): device '\(device)': a phoneNumber is 1 to \(Self.maximumIdLength) characters")
        }
        if principal.role == .telephony, !principal.devices.isEmpty {
            throw DirectoryError(
                code: .telephonyWithDevices,
                message: "\(name): a Telephony principal reports calls and sees none, so it owns no devices"
            )
        }
    }
}
