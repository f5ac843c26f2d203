import Calls
import CallsBusMessages
import CallsJSON
import CallsTesting
import Foundation
import Testing

/// Golden tests: calls encoded as the contract's JSON object (section 1), compared with hand-written JSON.
struct CallPresentationTests {
    struct Golden: Sendable, CustomTestStringConvertible {
        var name: String
        var baseURL = "http://127.0.0.1:8080"
        var call: Call
        var json: String
        var testDescription: String { name }
    }

    static let goldens: [Golden] = [
        Golden(
            name: "inbound ringing with ani and one valid + number",
            call: Call(
                id: "c-1", deviceId: "dev-1001", state: .ringing, callType: .inbound,
                participants: ["+14155552671", "5001"], ani: "+14155552671"
            ),
            json: #"""
                {"id": "c-1", "uri": "http://127.0.0.1:8080/api/v2/me/calls/c-1", "path": "/calls/c-1",
                 "state": "Ringing",
                 "capabilities": ["Answer", "Hangup", "AttachUserData", "UpdateUserData", "DeleteUserData",
                                  "DeleteUserDataPair"],
                 "deviceUri": "http://127.0.0.1:8080/api/v2/devices/dev-1001",
                 "participants": ["+14155552671", "5001"], "ani": "+14155552671",
                 "participantsInfo": [{"country": {"name": "United States", "code": "US", "callingCode": "1"},
                                       "location": "San Francisco, CA",
                                       "localPhoneNumber": "(415) 555-2671",
                                       "E164digits": "+14155552671"}],
                 "mute": "Off", "callType": "Inbound"}
                """#
        ),
        Golden(
            name: "outbound muted established with user data: no ani, no participantsInfo",
            baseURL: "https://gw.example/",
            call: Call(
                id: "c-2", deviceId: "dev-1002", state: .established, callType: .outbound,
                participants: ["5002"], ani: "5001", mute: .on, userData: ["case": "42", "queue": "sales"]
            ),
            json: #"""
                {"id": "c-2", "uri": "https://gw.example/api/v2/me/calls/c-2", "path": "/calls/c-2",
                 "state": "Established",
                 "capabilities": ["Hangup", "Hold", "SendDtmf", "UnmuteCall", "SingleStepTransfer",
                                  "SingleStepConference", "InitiateTransfer", "InitiateConference",
                                  "StartCallRecording", "AttachUserData", "UpdateUserData", "DeleteUserData", "DeleteUserDataPair"],
                 "deviceUri": "https://gw.example/api/v2/devices/dev-1002",
                 "participants": ["5002"], "mute": "On", "callType": "Outbound",
                 "userData": {"case": "42", "queue": "sales"}}
                """#
        ),
        Golden(
            name: "released internal call: no capabilities, inbound without ani",
            baseURL: "http://gw:8080//",
            call: Call(
                id: "c-3", deviceId: "dev-1003", state: .released, callType: .internal,
                participants: [], ani: "5003", releasedAt: Fixture.now
            ),
            json: #"""
                {"id": "c-3", "uri": "http://gw:8080/api/v2/me/calls/c-3", "path": "/calls/c-3",
                 "state": "Released", "capabilities": [], "endTime": "2023-11-14T22:13:20.000Z",
                 "deviceUri": "http://gw:8080/api/v2/devices/dev-1003",
                 "participants": [], "mute": "Off", "callType": "Internal"}
                """#
        ),
        Golden(
            name: "inbound held without ani, unknown + number",
            call: Call(id: "c-4", deviceId: "dev-1001", state: .held, callType: .inbound, participants: ["+999"]),
            json: #"""
                {"id": "c-4", "uri": "http://127.0.0.1:8080/api/v2/me/calls/c-4", "path": "/calls/c-4",
                 "state": "Held",
                 "capabilities": ["Hangup", "Retrieve", "SingleStepTransfer", "StartCallRecording",
                                  "AttachUserData", "UpdateUserData",
                                  "DeleteUserData", "DeleteUserDataPair"],
                 "deviceUri": "http://127.0.0.1:8080/api/v2/devices/dev-1001",
                 "participants": ["+999"], "mute": "Off", "callType": "Inbound"}
                """#
        ),
    ]

    /// Contract v2's keys: times, `parentCallUri`, `recordingState`; the capabilities as the registry gives them.
    @Test func encodesTheTimesTheParentAndTheRecording() throws {
        let presentation = CallPresentation(publicBaseURL: "http://gw", participantInfo: Fixture.participantInfo)
        let call = Call(
            id: "k 1", deviceId: "dev-1001", state: .held, callType: .consult, participants: ["5002"],
            startTime: Date(timeIntervalSince1970: 1_795_000_000.1239), connectedTime: Fixture.now + 0.5,
            parentCallId: "p/1", consultOrigin: .transfer, recordingState: .paused)
        let text = String(decoding: presentation.encodedJSON(for: call, capabilities: [.hangup]), as: UTF8.self)
        let expected =
            #"{"callType":"Consult","capabilities":["Hangup"],"connectedTime":"2023-11-14T22:13:20.500Z","#
            + #""deviceUri":"http://gw/api/v2/devices/dev-1001","id":"k 1","mute":"Off","#
            + #""parentCallUri":"http://gw/api/v2/me/calls/p%2F1","participants":["5002"],"path":"/calls/k%201","#
            + #""recordingState":"Paused","startTime":"2026-11-18T11:06:40.124Z","state":"Held","#
            + #""uri":"http://gw/api/v2/me/calls/k%201"}"#
        #expect(text == expected)
    }

    /// (seconds since 1970, the contract's text): leap days, the epoch, before it, milliseconds to the nearest.
    @Test(arguments: [
        (0.0, "1970-01-01T00:00:00.000Z"), (951_782_400.999_4, "2000-02-29T00:00:00.999Z"),
        (-1.5, "1969-12-31T23:59:58.500Z"), (4_102_444_799.0, "2099-12-31T23:59:59.000Z"),
        (1_764_414_156.123, "2025-11-29T11:02:36.123Z"),
    ])
    func timestamps(seconds: Double, text: String) {
        #expect(Timestamp.string(from: Date(timeIntervalSince1970: seconds)) == text)
    }

    @Test(arguments: goldens)
    func encodesTheContractObject(_ golden: Golden) throws {
        let presentation = CallPresentation(publicBaseURL: golden.baseURL, participantInfo: Fixture.participantInfo)
        let encoded = presentation.encodedJSON(for: golden.call)
        let actual = try JSONDecoder().decode(JSONValue.self, from: encoded)
        let expected = try JSONDecoder().decode(JSONValue.self, from: Data(golden.json.utf8))
        #expect(Self.capabilitiesAsSet(actual) == Self.capabilitiesAsSet(expected))
        #expect(try JSONDecoder().decode(CallResource.self, from: encoded) == presentation.resource(for: golden.call))
    }

    @Test func encodingIsDeterministicSortedAndUnescaped() {
        let presentation = CallPresentation(
            publicBaseURL: "http://127.0.0.1:8080", participantInfo: Fixture.participantInfo)
        let call = Fixture.call(.established)
        let first = presentation.encodedJSON(for: call)
        #expect(first == presentation.encodedJSON(for: call))
        let text = String(decoding: first, as: UTF8.self)
        #expect(text.hasPrefix(#"{"ani":"#))
        #expect(!text.contains(#"\/"#))
        // The exact bytes, written out by hand from the contract: keys sorted (so replayed and live
        // events are byte-identical), `/` not escaped, no spaces.
        let expected =
            #"{"ani":"+14155552671","callType":"Inbound","#
            + #""capabilities":["Hangup","Hold","SendDtmf","MuteCall","SingleStepTransfer","#
            + #""SingleStepConference","InitiateTransfer","InitiateConference","StartCallRecording","AttachUserData","#
            + #""UpdateUserData","DeleteUserData","DeleteUserDataPair"],"#
            + #""deviceUri":"http://127.0.0.1:8080/api/v2/devices/dev-1001","id":"c1","mute":"Off","#
            + #""participants":["+14155552671"],"#
            + #""participantsInfo":[{"E164digits":"+14155552671","#
            + #""country":{"callingCode":"1","code":"US","name":"United States"},"#
            + #""localPhoneNumber":"(415) 555-2671","location":"San Francisco, CA"}],"#
            + #""path":"/calls/c1","state":"Established","uri":"http://127.0.0.1:8080/api/v2/me/calls/c1","#
            + #""userData":{"a":"1"}}"#
        #expect(text == expected)
    }

    @Test func trailingSlashesAreDropped() {
        let presentation = CallPresentation(publicBaseURL: "http://gw:8080///", participantInfo: { _ in nil })
        #expect(presentation.publicBaseURL == "http://gw:8080")
    }

    @Test func enrichmentIsAskedOnlyForPlusNumbersAndAbsentLocationIsLeftOut() throws {
        let info = ParticipantInfo(
            country: Country(name: "Russia", code: "RU", callingCode: "7"), location: nil,
            localPhoneNumber: "8 (495) 123-45-67", e164Digits: "+74951234567"
        )
        let presentation = CallPresentation(publicBaseURL: "http://gw") { number in
            #expect(number.hasPrefix("+"))
            return number == "+74951234567" ? info : nil
        }
        let call = Call(
            id: "c-5", deviceId: "d", state: .dialing, callType: .outbound,
            participants: ["5001", "+74951234567", "74951234567"]
        )
        #expect(presentation.resource(for: call).participantsInfo == [info])
        let json = try JSONDecoder().decode(JSONValue.self, from: presentation.encodedJSON(for: call))
        guard case .array(let entries)? = json.objectValue?["participantsInfo"] else {
            Issue.record("participantsInfo missing")
            return
        }
        #expect(entries.first?.objectValue?["location"] == nil)
    }

    @Test func idsThatAreNotPathSafeAreEscapedInURIsOnly() {
        let presentation = CallPresentation(publicBaseURL: "http://gw", participantInfo: { _ in nil })
        let resource = presentation.resource(
            for: Call(id: "a/b c", deviceId: "d 1", state: .ringing, callType: .inbound))
        #expect(resource.id == "a/b c")
        #expect(resource.uri == "http://gw/api/v2/me/calls/a%2Fb%20c")
        #expect(resource.path == "/calls/a%2Fb%20c")
        #expect(resource.deviceUri == "http://gw/api/v2/devices/d%201")
    }

    /// The contract makes capabilities a set: compare them without order.
    static func capabilitiesAsSet(_ value: JSONValue) -> JSONValue {
        guard var object = value.objectValue, case .array(let items)? = object["capabilities"] else {
            return value
        }
        let names = items.compactMap(\.stringValue)
        #expect(names.count == Set(names).count, "capabilities repeat")
        object["capabilities"] = .array(names.sorted().map(JSONValue.string))
        return .object(object)
    }
}
