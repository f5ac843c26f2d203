import Calls
import Testing

struct RoleTests {
    /// Which request kinds each role may make at all (contract section 3), written out by hand.
    static let allowed: [Role: Set<RequestKind>] = [
        .contactCenterAdmin: [
            .list, .get, .operate, .replay, .dial, .readDevices, .operateDevice, .readUser, .operateUser,
        ],
        .agent: [.list, .get, .operate, .replay, .dial, .readDevices, .operateDevice, .readUser, .operateUser],
        .telephony: [.list, .get, .report, .replay, .readDevices],
    ]

    @Test(arguments: Role.allCases, RequestKind.allCases)
    func allows(role: Role, kind: RequestKind) {
        #expect(role.allows(kind) == Self.allowed[role]?.contains(kind))
    }

    @Test(arguments: [(Role.contactCenterAdmin, "ContactCenterAdmin"), (.agent, "Agent"), (.telephony, "Telephony")])
    func wireName(role: Role, name: String) {
        #expect(role.rawValue == name)
    }
}
