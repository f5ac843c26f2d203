import Calls
import CallsBusMessages
import CallsJSON
import CallsTesting
import Foundation
import Testing

struct CallResourceTests {
    static func resource(
        participantsInfo: [ParticipantInfo],
        userData: [String: String],
        ani: String?
    ) -> CallResource {
        CallResource(
            id: "c1", uri: "http://gw/api/v2/me/calls/c1", path: "/calls/c1", state: .ringing,
            capabilities: [.answer], deviceUri: "http://gw/api/v2/devices/d1", participants: ["+14155552671"],
            ani: ani, participantsInfo: participantsInfo, mute: .off, callType: .inbound, userData: userData
        )
    }

    @Test(
        arguments: [
            ([], [:], nil, ["ani": false, "participantsInfo": false, "userData": false]),
            (
                [Fixture.sanFranciscoInfo], ["k": "v"], "+14155552671",
                ["ani": true, "participantsInfo": true, "userData": true]
            ),
        ] as [([ParticipantInfo], [String: String], String?, [String: Bool])])
    func optionalKeysAppearOnlyWhenSet(
        info: [ParticipantInfo], userData: [String: String], ani: String?,
        present: [String: Bool]
    ) throws {
        let resource = Self.resource(participantsInfo: info, userData: userData, ani: ani)
        let data = try JSONEncoder().encode(resource)
        let object = try #require(try JSONDecoder().decode(JSONValue.self, from: data).objectValue)
        for (key, isPresent) in present {
            #expect((object[key] != nil) == isPresent, "\(key)")
        }
        #expect(try JSONDecoder().decode(CallResource.self, from: data) == resource)
    }
}
