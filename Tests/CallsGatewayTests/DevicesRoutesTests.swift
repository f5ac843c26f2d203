import Calls
import CallsJSON
import CallsTesting
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdBcrypt
import HummingbirdTesting
import Testing

/// The device routes and `Dial` (contract section 6) against the real bus.
@Suite(.timeLimit(.minutes(1)))
struct DevicesRoutesTests {
    typealias H = GatewayHarness

    /// The harness's directory, with a password for the switch so that it can log in and be refused 403.
    static let directoryWithSwitch: Directory = {
        let hash = Bcrypt.hash(H.password, cost: 4)
        return try! Directory(
            principals: H.directory.principals.map { principal in
                var principal = principal
                principal.passwordHash = hash
                return principal
            })
    }()

    @Test func listsFollowVisibilityAndMeListsOnlyOwnDevices() async throws {
        try await H.run { client, _ in
            let (status, all) = try await client.get("/api/v2/devices", as: "admin")
            #expect(status == .ok)
            #expect(all?.statusCode == 0)
            #expect(all?["deviceSeq"] == nil)
            let ids = all?["devices"]?.arrayValue?.compactMap { $0["id"]?.stringValue }
            #expect(ids?.contains("dev-1001") == true && ids?.contains("dev-1002") == true)
            #expect(try await client.get("/api/v2/me/devices", as: "admin").1?["devices"] == [])

            let (_, mine) = try await client.get("/api/v2/me/devices", as: "agent-1001")
            let device = try #require(mine?["devices"]?.arrayValue?.first)
            #expect(mine?["devices"]?.arrayValue?.count == 1)
            #expect(device["id"] == "dev-1001")
            #expect(device["path"] == "/devices/dev-1001")
            #expect(device["uri"]?.stringValue?.hasSuffix("/api/v2/devices/dev-1001") == true)
            #expect(device["deviceState"] == "Active")
            #expect(device["userState"] == ["state": "LoggedOut"])
            #expect(device["doNotDisturb"] == "Off")
            #expect(device["capabilities"] == ["DoNotDisturbOn"])
            let visible = try await client.get("/api/v2/devices", as: "agent-1001").1?["devices"]
            #expect(visible?.arrayValue?.map { $0["id"] } == ["dev-1001"])
        }
    }

    @Test func fieldsSelectDeviceKeys() async throws {
        try await H.run { client, _ in
            #expect(
                try await client.get("/api/v2/me/devices?fields=id,doNotDisturb", as: "agent-1001").1?["devices"]
                    == [["id": "dev-1001", "doNotDisturb": "Off"]])
            #expect(
                try await client.get("/api/v2/devices/dev-1001?fields=userState", as: "admin").1
                    == ["statusCode": 0, "device": ["userState": ["state": "LoggedOut"]]])
            let whole = try await client.get("/api/v2/me/devices/dev-1001?fields=*", as: "agent-1001").1
            #expect(whole?["device"]?["capabilities"] != nil && whole?["device"]?["uri"] != nil)
        }
    }

    @Test(arguments: [
        ("agent-1001", "/api/v2/devices/dev-1002"), ("agent-1001", "/api/v2/me/devices/dev-1002"),
        ("admin", "/api/v2/devices/nowhere"), ("admin", "/api/v2/devices/dev-1001%2Fcalls"),
        ("admin", "/api/v2/me/devices/%zz"), ("admin", "/api/v2/devices/dev%20-1001"),
        ("switch-1", "/api/v2/devices/dev-1001"),
    ])
    func anotherAgentsOrAMalformedDeviceIsNotFound(user: String, uri: String) async throws {
        try await H.run(directory: Self.directoryWithSwitch) { client, _ in
            let (status, body) = try await client.get(uri, as: user)
            #expect(status == .notFound)
            #expect(body?.statusCode == 6)
            #expect(body?["statusMessage"] != nil)
        }
    }

    @Test func deviceIdsArePercentDecoded() async throws {
        try await H.run { client, _ in
            let (status, body) = try await client.get("/api/v2/devices/dev%2D1001", as: "admin")
            #expect(status == .ok && body?["device"]?["id"] == "dev-1001")
        }
    }

    @Test func doNotDisturbTurnsOnOnceAndOnlyOnOwnDevices() async throws {
        try await H.run(directory: Self.directoryWithSwitch) { client, _ in
            let uri = "/api/v2/me/devices/dev-1001"
            let on = #"{"operationName":"DoNotDisturbOn","id":"dev-1002","op":"users.get"}"#
            #expect(try await client.post(uri, on, as: "agent-1002").1?.statusCode == 6)
            #expect(try await client.post(uri, on, as: "switch-1").0 == .forbidden)
            let done = try await client.post(uri, on, as: "agent-1001")
            #expect(done.0 == .ok && done.1 == ["statusCode": 0])
            let device = try await client.get(uri, as: "agent-1001").1?["device"]
            #expect(device?["doNotDisturb"] == "On")
            #expect(device?["capabilities"] == ["DoNotDisturbOff"])
            #expect(
                try await client.get("/api/v2/devices/dev-1002", as: "admin").1?["device"]?["doNotDisturb"] == "Off")
            let again = try await client.post(uri, on, as: "agent-1001")
            #expect(again.0 == .badRequest && again.1?.statusCode == 2)
            #expect(try await client.post(uri, "{}", as: "agent-1001").1?.statusCode == 1)
            #expect(try await client.post(uri, #"{"operationName":"Dial"}"#, as: "agent-1001").1?.statusCode == 2)
        }
    }

    @Test func dialMakesAnOutboundCallOnTheDeviceInTheURL() async throws {
        try await H.run { client, _ in
            let body = #"""
                {"operationName":"Dial","destination":{"phoneNumber":"+14155552671"},"userData":{"case":"7"},
                 "deviceId":"dev-1002","id":"x","user":"admin","op":"calls.list"}
                """#
            let (status, reply) = try await client.post("/api/v2/me/devices/dev-1001/calls", body, as: "agent-1001")
            #expect(status == .ok)
            let id = try #require(reply?["id"]?.stringValue)
            #expect(id.count == 32 && id.allSatisfy { "0123456789abcdef".contains($0) })
            #expect(reply == ["statusCode": 0, "id": .string(id)])
            let call = try await client.get("/api/v2/me/calls/\(id)", as: "agent-1001").1?["call"]
            #expect(call?["state"] == "Dialing")
            #expect(call?["callType"] == "Outbound")
            #expect(call?["participants"] == ["+14155552671"])
            #expect(call?["userData"] == ["case": "7"])
            #expect(call?["deviceUri"]?.stringValue?.hasSuffix("/devices/dev-1001") == true)
        }
    }

    @Test(arguments: [
        (
            "agent-1002", #"{"operationName":"Dial","destination":{"phoneNumber":"5001"}}"#,
            HTTPResponse.Status.notFound, 6
        ),
        ("switch-1", #"{"operationName":"Dial","destination":{"phoneNumber":"5001"}}"#, .forbidden, 5),
        ("agent-1001", #"{"destination":{"phoneNumber":"5001"}}"#, .badRequest, 1),
        ("agent-1001", #"{"operationName":"Answer","destination":{"phoneNumber":"5001"}}"#, .badRequest, 2),
        ("agent-1001", #"{"operationName":["Dial"]}"#, .badRequest, 2),
        ("agent-1001", #"{"operationName":"Dial"}"#, .badRequest, 1),
        ("agent-1001", #"{"operationName":"Dial","destination":{"phoneNumber":"50O1"}}"#, .badRequest, 2),
        ("agent-1001", "[]", .badRequest, 2),
    ])
    func dialRefusals(user: String, body: String, status: HTTPResponse.Status, statusCode: Int) async throws {
        try await H.run(directory: Self.directoryWithSwitch) { client, _ in
            let (answered, reply) = try await client.post("/api/v2/me/devices/dev-1001/calls", body, as: user)
            #expect(answered == status)
            #expect(reply?.statusCode == statusCode)
            #expect(try await client.get("/api/v2/me/calls", as: "admin").1?["calls"] == [])
        }
    }
}
