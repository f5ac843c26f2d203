import Calls
import Testing

struct PrincipalTests {
    @Test func defaultsToNoDevicesNoPasswordAndNotActingForUsers() {
        let principal = Principal(id: "p", role: .agent)
        #expect(principal.devices.isEmpty)
        #expect(principal.passwordHash == nil)
        #expect(!principal.actsForUsers)
    }

    @Test(arguments: [(Role.contactCenterAdmin, true), (.agent, false), (.telephony, false)])
    func onlyAdminsSeeEveryCall(role: Role, seesEveryCall: Bool) {
        #expect(Principal(id: "p", role: role, actsForUsers: true).seesEveryCall == seesEveryCall)
    }
}
