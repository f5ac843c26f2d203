import Calls
import Testing

struct RequestKindTests {
    @Test func kindsAreTheAccessPolicysRequestKinds() {
        #expect(
            RequestKind.allCases.map(\.rawValue) == [
                "list", "get", "operate", "report", "replay", "dial", "readDevices", "operateDevice", "readUser",
                "operateUser",
            ])
    }
}
