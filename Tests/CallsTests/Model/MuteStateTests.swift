import Calls
import Testing

struct MuteStateTests {
    @Test(arguments: [(MuteState.on, "On"), (.off, "Off")])
    func wireName(mute: MuteState, name: String) {
        #expect(mute.rawValue == name)
        #expect(MuteState(rawValue: name) == mute)
    }
}
