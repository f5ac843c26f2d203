import Calls
import Foundation
import Testing

struct CallStateTests {
    @Test(arguments: [
        (CallState.dialing, "Dialing", true), (.ringing, "Ringing", true), (.established, "Established", true),
        (.held, "Held", true), (.released, "Released", false),
    ])
    func wireNameAndLiveness(state: CallState, name: String, isLive: Bool) throws {
        #expect(state.rawValue == name)
        #expect(state.isLive == isLive)
        #expect(try JSONEncoder().encode(state) == Data("\"\(name)\"".utf8))
    }

    @Test func everyStateIsListed() {
        #expect(CallState.allCases.count == 5)
    }
}
