import Calls
import Testing

struct CallTypeTests {
    @Test(arguments: [
        (CallType.inbound, "Inbound"), (.outbound, "Outbound"), (.internal, "Internal"), (.consult, "Consult"),
    ])
    func wireName(callType: CallType, name: String) {
        #expect(callType.rawValue == name)
        #expect(CallType(rawValue: name) == callType)
    }
}
