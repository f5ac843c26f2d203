public import Calls

/// The principals most tests use.
public enum TestDirectory {
    /// Sees and operates every call.
    public static let admin = "admin"
    /// Owns `dev-1001`.
    public static let agent1001 = "agent-1001"
    /// Owns `dev-1002`.
    public static let agent1002 = "agent-1002"
    /// The switch adapter.
    public static let telephony = "switch-1"

    /// The directory: an admin, two agents with a device each, and a switch adapter.
    public static let standard: Directory = {
        // The fixture is fixed and valid; failing here is a broken test suite, not a test failure.
        try! Directory(principals: [
            Principal(id: admin, role: .contactCenterAdmin),
            Principal(id: agent1001, role: .agent, devices: ["dev-1001"]),
            Principal(id: agent1002, role: .agent, devices: ["dev-1002"]),
            Principal(id: telephony, role: .telephony),
        ])
    }()

    /// ``standard`` with `hash` as the password hash of every person (not the Telephony principal),
    /// for tests that log in at the gateway.
    public static func standard(passwordHash hash: String) -> Directory {
        try! Directory(
            principals: standard.principals.map { principal in
                var principal = principal
                if principal.role != .telephony { principal.passwordHash = hash }
                return principal
            })
    }
}
