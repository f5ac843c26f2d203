import Calls
import CallsBusMessages
import CallsBusService
import CallsJSON
import CallsTesting
import Foundation
import Testing
import ZMQ

@Suite(.timeLimit(.minutes(1)))
struct RequestTests {
    @Test func aCallGoesFromRingingToReleasedThroughEveryOp() async throws {
        try await TestBus.run { bus in
            try await bus.withClient { client in
                let created = try client.request(
                    .telephonyEvent,
                    user: TestDirectory.telephony,
                    Events.telephony(
                        "Ringing", callId: "c1", deviceId: "dev-1001", participants: ["+14155552671"],
                        ani: "+14155552671")
                )
                #expect(created == ["statusCode": 0])

                let list = try client.request(.listCalls, user: TestDirectory.admin)
                #expect(list.statusCode == 0)
                #expect(list["seq"]?.intValue == 1)
                #expect(list["calls"]?.arrayValue?.count == 1)

                let get = try client.request(.getCall, user: TestDirectory.agent1001, ["id": "c1"])
                let call = try #require(get["call"])
                #expect(call["state"] == "Ringing")
                #expect(call["ani"] == "+14155552671")
                #expect(call["callType"] == "Inbound")
                #expect(call["participantsInfo"]?[0]?["E164digits"] == "+14155552671")
                #expect(call["uri"] == "http://127.0.0.1:8080/api/v2/me/calls/c1")

                for operation in ["Answer", "Hold", "Retrieve", "MuteCall"] {
                    #expect(
                        try Events.operate(client, operation, callId: "c1", user: TestDirectory.agent1001).statusCode
                            == 0)
                }
                let digits = try Events.operate(
                    client, "SendDtmf", callId: "c1", user: TestDirectory.admin, ["digits": "12#"])
                #expect(digits.statusCode == 0)
                let muted = try client.request(.getCall, user: TestDirectory.admin, ["id": "c1"])["call"]
                #expect(muted?["state"] == "Established")
                #expect(muted?["mute"] == "On")
                #expect(muted?["capabilities"]?.arrayValue?.contains("UnmuteCall") == true)

                #expect(try Events.report(client, "Released", callId: "c1", deviceId: "dev-1001").statusCode == 0)
                let released = try client.request(.getCall, user: TestDirectory.admin, ["id": "c1"])["call"]
                #expect(released?["state"] == "Released")
                #expect(released?["capabilities"] == [])

                let replay = try client.request(.replayEvents, user: TestDirectory.admin, ["after": 0])
                let events = try #require(replay["events"]?.arrayValue)
                #expect(events.map { $0["seq"]?.intValue } == Array(1...7))
                #expect(
                    events.map { $0["notificationType"] } == [
                        "StatusChange", "StatusChange", "StatusChange", "StatusChange", "StatusChange", "DtmfSent",
                        "StatusChange",
                    ])
                #expect(events[5]["digits"] == "12#")
                #expect(events.allSatisfy { $0["topic"] == "calls/agent-1001/c1" })
            }
        }
    }

    @Test func refusedOperationsChangeNothingAndPublishNothing() async throws {
        try await TestBus.run { bus in
            try await bus.withClient { client in
                try Events.report(client, "Dialing", callId: "out-1", deviceId: "dev-1002", participants: ["5001"])
                let refused = try Events.operate(client, "Answer", callId: "out-1", user: TestDirectory.agent1002)
                #expect(refused.statusCode == 2)
                #expect(refused["statusMessage"]?.stringValue?.isEmpty == false)
                let badDigits = try Events.operate(
                    client, "SendDtmf", callId: "out-1", user: TestDirectory.agent1002, ["digits": "12x"])
                #expect(badDigits.statusCode == 2)
                let missingDigits = try Events.operate(
                    client, "SendDtmf", callId: "out-1", user: TestDirectory.agent1002)
                #expect(missingDigits.statusCode == 1)
                let list = try client.request(.listCalls, user: TestDirectory.admin)
                #expect(list["seq"]?.intValue == 1)
                #expect(list["calls"]?[0]?["state"] == "Dialing")
                #expect(list["calls"]?[0]?["callType"] == "Outbound")
            }
        }
    }

    @Test func aRequestSocketGetsItsReply() async throws {
        try await TestBus.run { bus in
            let (context, endpoint) = (bus.context, bus.endpoints.request)
            let reply = try await SocketLoop.run(name: "req-client") { () -> String? in
                let socket = try Socket.request(in: context, connectingTo: endpoint)
                try socket.send(#"{"op":"calls.list","user":"admin"}"#)
                return try socket.receive(timeout: .seconds(10))?.string
            }
            #expect(reply == #"{"statusCode":0,"seq":0,"calls":[]}"#)
        }
    }

    @Test func aDealerWithoutDelimiterStillGetsOneReply() async throws {
        try await TestBus.run { bus in
            let (context, endpoint) = (bus.context, bus.endpoints.request)
            let reply = try await SocketLoop.run(name: "bare-dealer") { () -> [String]? in
                let socket = try Socket.dealer(in: context, connectingTo: endpoint)
                try socket.send(#"{"op":"calls.list","user":"admin"}"#)
                return try socket.receiveMultipart(timeout: .seconds(10))?.map(\.string)
            }
            #expect(reply == [#"{"statusCode":0,"seq":0,"calls":[]}"#])
        }
    }

    @Test func tcpOnAnEphemeralPortWorks() async throws {
        try await TestBus.run(configure: { configuration in
            configuration.requestEndpoint = "tcp://127.0.0.1:*"
            configuration.eventsEndpoint = "tcp://127.0.0.1:*"
        }) { bus in
            #expect(bus.endpoints.request.hasPrefix("tcp://127.0.0.1:"))
            #expect(!bus.endpoints.request.hasSuffix(":*"))
            let reply = try await bus.withClient { try $0.request(.listCalls, user: TestDirectory.admin) }
            #expect(reply.statusCode == 0)
        }
    }
}
