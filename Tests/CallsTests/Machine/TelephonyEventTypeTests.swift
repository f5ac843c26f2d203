import Calls
import Testing

struct TelephonyEventTypeTests {
    @Test(arguments: [
        (TelephonyEventType.ringing, "Ringing", true), (.dialing, "Dialing", true),
        (.established, "Established", false),
        (.held, "Held", false), (.retrieved, "Retrieved", false), (.released, "Released", false),
        (.partiesChanged, "PartiesChanged", false),
    ])
    func wireNameAndCreation(type: TelephonyEventType, name: String, isCreating: Bool) {
        #expect(type.rawValue == name)
        #expect(type.isCreating == isCreating)
    }
}
