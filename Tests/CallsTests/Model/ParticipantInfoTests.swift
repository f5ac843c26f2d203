import Calls
import Foundation
import Testing

struct ParticipantInfoTests {
    @Test func encodesTheContractKeys() throws {
        let info = ParticipantInfo(
            country: Country(name: "United States", code: "US", callingCode: "1"),
            location: "San Francisco, CA",
            localPhoneNumber: "(415) 555-2671",
            e164Digits: "+14155552671"
        )
        let data = try JSONEncoder().encode(info)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(Set(object.keys) == ["country", "location", "localPhoneNumber", "E164digits"])
        #expect(object["E164digits"] as? String == "+14155552671")
    }
}
