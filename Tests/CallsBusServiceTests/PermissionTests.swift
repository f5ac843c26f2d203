import Calls
import CallsBusMessages
import CallsJSON
import CallsTesting
import Foundation
import Testing

/// The contract's section 3 over the wire: who sees, operates and reports which call.
@Suite(.timeLimit(.minutes(1)))
struct PermissionTests {
    /// (user, request, statusCode): the call `mine` is on dev-1001, owned by agent-1001.
    static let matrix: [(user: String?, operation: BusOperation, expected: Int)] = [
        (TestDirectory.admin, .listCalls, 0),
        (TestDirectory.admin, .getCall, 0),
        (TestDirectory.admin, .operateCall, 0),
        (TestDirectory.admin, .telephonyEvent, 5),
        (TestDirectory.admin, .replayEvents, 0),
        (TestDirectory.agent1001, .listCalls, 0),
        (TestDirectory.agent1001, .getCall, 0),
        (TestDirectory.agent1001, .operateCall, 0),
        (TestDirectory.agent1001, .telephonyEvent, 5),
        (TestDirectory.agent1001, .replayEvents, 0),
        (TestDirectory.agent1002, .getCall, 6),
        (TestDirectory.agent1002, .operateCall, 6),
        (TestDirectory.agent1002, .telephonyEvent, 5),
        (TestDirectory.telephony, .listCalls, 0),
        (TestDirectory.telephony, .getCall, 6),
        (TestDirectory.telephony, .operateCall, 5),
        (TestDirectory.telephony, .telephonyEvent, 0),
        (TestDirectory.telephony, .replayEvents, 0),
        ("nobody", .listCalls, 20),
        ("Admin", .getCall, 20),
        ("AGENT-1001", .operateCall, 20),
        (TestDirectory.admin, .dial, 0), (TestDirectory.admin, .listDevices, 0), (TestDirectory.admin, .getDevice, 0),
        (TestDirectory.admin, .operateDevice, 0), (TestDirectory.admin, .getUser, 0),
        (TestDirectory.admin, .operateUser, 0),
        (TestDirectory.agent1001, .dial, 0), (TestDirectory.agent1001, .getDevice, 0),
        (TestDirectory.agent1001, .operateDevice, 0), (TestDirectory.agent1001, .operateUser, 0),
        (TestDirectory.agent1002, .dial, 6), (TestDirectory.agent1002, .listDevices, 0),
        (TestDirectory.agent1002, .getDevice, 6), (TestDirectory.agent1002, .operateDevice, 6),
        (TestDirectory.agent1002, .getUser, 0),
        (TestDirectory.telephony, .dial, 5), (TestDirectory.telephony, .listDevices, 0),
        (TestDirectory.telephony, .getDevice, 6), (TestDirectory.telephony, .operateDevice, 5),
        (TestDirectory.telephony, .getUser, 5), (TestDirectory.telephony, .operateUser, 5),
        ("nobody", .dial, 20), (nil, .getUser, 1), ("Agent-1001", .operateUser, 20),
        (nil, .listCalls, 1),
        (nil, .telephonyEvent, 1),
        ("", .getCall, 1),
    ]

    @Test(arguments: matrix)
    func statusFollowsTheContract(user: String?, operation: BusOperation, expected: Int) async throws {
        let reply = try await TestBus.run { bus in
            try await bus.withClient { client in
                try Events.report(client, "Ringing", callId: "mine", deviceId: "dev-1001")
                let fields: [String: JSONValue] =
                    switch operation {
                    case .listCalls: [:]
                    case .getCall: ["id": "mine"]
                    case .operateCall: ["id": "mine", "operationName": "Answer"]
                    case .telephonyEvent: Events.telephony("Established", callId: "mine", deviceId: "dev-1001")
                    case .replayEvents: ["after": 0]
                    case .dial: ["deviceId": "dev-1001", "destination": ["phoneNumber": "5002"]]
                    case .listDevices, .getUser: [:]
                    case .getDevice: ["id": "dev-1001"]
                    case .operateDevice: ["id": "dev-1001", "operationName": "DoNotDisturbOn"]
                    case .operateUser: ["operationName": "StartContactCenterSession"]
                    }
                return try client.request(operation, user: user, fields)
            }
        }
        #expect(reply.statusCode == expected, "\(reply)")
        #expect((reply["statusMessage"] != nil) == (expected != 0))
    }

    @Test func aForbiddenCallAnswersExactlyLikeAMissingOne() async throws {
        try await TestBus.run { bus in
            try await bus.withClient { client in
                try Events.report(client, "Ringing", callId: "hidden", deviceId: "dev-1001")
                let forbidden = try client.request(.getCall, user: TestDirectory.agent1002, ["id": "hidden"])
                let missing = try client.request(.getCall, user: TestDirectory.agent1002, ["id": "nowhere"])
                #expect(forbidden.statusCode == 6)
                let forbiddenText = forbidden["statusMessage"]?.stringValue?.replacingOccurrences(
                    of: "hidden", with: "X")
                let missingText = missing["statusMessage"]?.stringValue?.replacingOccurrences(of: "nowhere", with: "X")
                #expect(forbiddenText == missingText)
                let operate = try Events.operate(
                    client, "Answer", callId: "hidden", user: TestDirectory.agent1002, ["bad": 1])
                #expect(operate.statusCode == 6)
            }
        }
    }

    @Test func agentsListAndReplayOnlyTheirOwnCalls() async throws {
        try await TestBus.run { bus in
            try await bus.withClient { client in
                try Events.report(client, "Ringing", callId: "a", deviceId: "dev-1001")
                try Events.report(client, "Ringing", callId: "b", deviceId: "dev-1002")
                try Events.report(client, "Ringing", callId: "c", deviceId: "dev-unowned")
                let mine = try client.request(.listCalls, user: TestDirectory.agent1001)
                #expect(mine["calls"]?.arrayValue?.map { $0["id"] } == ["a"])
                #expect(mine["seq"]?.intValue == 3)
                let all = try client.request(.listCalls, user: TestDirectory.admin)
                #expect(all["calls"]?.arrayValue?.count == 3)
                let replay = try client.request(.replayEvents, user: TestDirectory.agent1002, ["after": 0])
                #expect(replay["events"]?.arrayValue?.map { $0["topic"] } == ["calls/agent-1002/b"])
                let switchView = try client.request(.replayEvents, user: TestDirectory.telephony, ["after": 0])
                #expect(switchView["events"] == [])
                let switchList = try client.request(.listCalls, user: TestDirectory.telephony)
                #expect(switchList["calls"] == [])
            }
        }
    }
}
