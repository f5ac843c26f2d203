import Calls
import CallsBusClient
import CallsBusMessages
import CallsBusService
import CallsJSON
import CallsTesting
import Foundation
import Logging
import ServiceLifecycle
import Testing
import ZMQ

/// Runs `body` with a started client for `configuration`, then stops the client.
func withBusClient<Result: Sendable>(
    _ configuration: BusClientConfiguration,
    _ body: (CallsBusClient) async throws -> Result
) async throws -> Result {
    let logger = Logger(label: "test-client", factory: { _ in SwiftLogNoOpLogHandler() })
    let client = try CallsBusClient(configuration: configuration, logger: logger)
    let group = ServiceGroup(configuration: .init(services: [client], logger: logger))
    return try await withThrowingTaskGroup(of: Void.self) { tasks in
        tasks.addTask { try await group.run() }
        defer { tasks.cancelAll() }
        let result = try await body(client)
        await group.triggerGracefulShutdown()
        try await tasks.waitForAll()
        return result
    }
}

extension TestBus {
    /// The test bus's endpoints, with a request timeout long enough for a machine loaded by a whole
    /// parallel test run (connecting can take seconds there); tests of the timeout set their own.
    var clientConfiguration: BusClientConfiguration {
        BusClientConfiguration(
            requestEndpoint: endpoints.request, eventsEndpoint: endpoints.events, requestTimeout: .seconds(15))
    }
}

@Suite(.timeLimit(.minutes(1)))
struct CallsBusClientTests {
    @Test func manyConcurrentRequestsEachGetTheirOwnReply() async throws {
        try await TestBus.run { bus in
            try await withBusClient(bus.clientConfiguration) { client in
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for number in 0..<50 {
                        group.addTask {
                            let event: JSONValue = [
                                "type": "Ringing", "callId": .string("m\(number)"), "deviceId": "dev-1001",
                            ]
                            _ = try await client.send(
                                BusRequest(
                                    operation: .telephonyEvent, user: TestDirectory.telephony, fields: ["event": event])
                            )
                        }
                    }
                    try await group.waitForAll()
                }
                try await withThrowingTaskGroup(of: (Int, CallResource).self) { group in
                    for number in 0..<50 {
                        group.addTask {
                            let request = BusRequest(
                                operation: .getCall, user: TestDirectory.admin, fields: ["id": .string("m\(number)")])
                            let reply = try await client.send(request).checked()
                            return (number, try reply.decode(CallResource.self, at: "call"))
                        }
                    }
                    for try await (number, call) in group {
                        #expect(call.id == "m\(number)")
                    }
                }
            }
        }
    }

    @Test func refusalsComeBackAsCallsErrors() async throws {
        try await TestBus.run { bus in
            try await withBusClient(bus.clientConfiguration) { client in
                let error = await #expect(throws: CallsError.self) {
                    let request = BusRequest(operation: .getCall, user: TestDirectory.admin, fields: ["id": "none"])
                    _ = try await client.send(request).checked()
                }
                #expect(error?.code == .notFound)
            }
        }
    }

    @Test func aBusThatIsNotThereFailsAsNotConnected() async throws {
        let folder = TemporaryDirectory()
        defer { folder.remove() }
        let configuration = BusClientConfiguration(
            requestEndpoint: folder.ipcEndpoint("nobody"),
            eventsEndpoint: folder.ipcEndpoint("nobody-events"),
            requestTimeout: .milliseconds(300)
        )
        try await withBusClient(configuration) { client in
            let error = await #expect(throws: BusUnavailableError.self) {
                _ = try await client.send(BusRequest(operation: .listCalls, user: TestDirectory.admin))
            }
            #expect(error?.reason.contains("not connected") == true)
        }
    }

    @Test func requestsMadeBeforeTheConnectionWaitForIt() async throws {
        let folder = TemporaryDirectory()
        defer { folder.remove() }
        let configuration = BusClientConfiguration(
            requestEndpoint: folder.ipcEndpoint("requests"),
            eventsEndpoint: folder.ipcEndpoint("events"),
            requestTimeout: .seconds(20)
        )
        try await withBusClient(configuration) { client in
            let reply = Task { try await client.send(BusRequest(operation: .listCalls, user: TestDirectory.admin)) }
            try await TestBus.run(in: folder) { _ in
                let status = try await reply.value.statusCode
                #expect(status == 0)
            }
        }
    }

    @Test func aBusThatDoesNotAnswerTimesOut() async throws {
        let context = try Context()
        let silent = try Socket.router(in: context, bindingTo: "tcp://127.0.0.1:*")
        let endpoint = try silent.get(.lastEndpoint)
        let configuration = BusClientConfiguration(
            requestEndpoint: endpoint, eventsEndpoint: endpoint, requestTimeout: .milliseconds(300))
        try await withBusClient(configuration) { client in
            var error: BusUnavailableError?
            for _ in 0..<50 where error?.reason.contains("no answer") != true {
                do {
                    _ = try await client.send(BusRequest(operation: .listCalls, user: TestDirectory.admin))
                } catch let unavailable as BusUnavailableError {
                    error = unavailable
                    if !unavailable.reason.contains("no answer") { try await Task.sleep(for: .milliseconds(50)) }
                }
            }
            #expect(error?.reason.contains("no answer within") == true)
        }
        withExtendedLifetime(silent) {}
    }

    @Test func theClientRecoversWhenTheBusComesBack() async throws {
        let folder = TemporaryDirectory()
        defer { folder.remove() }
        let configuration = BusClientConfiguration(
            requestEndpoint: folder.ipcEndpoint("requests"),
            eventsEndpoint: folder.ipcEndpoint("events"),
            requestTimeout: .milliseconds(500)
        )
        try await withBusClient(configuration) { client in
            for round in 0..<2 {
                try await TestBus.run(in: folder) { _ in
                    var reply: ParsedReply?
                    for _ in 0..<100 where reply == nil {
                        reply = try? await client.send(BusRequest(operation: .listCalls, user: TestDirectory.admin))
                        if reply == nil { try await Task.sleep(for: .milliseconds(50)) }
                    }
                    #expect(reply != nil, "round \(round)")
                }
                await #expect(throws: BusUnavailableError.self) {
                    _ = try await client.send(BusRequest(operation: .listCalls, user: TestDirectory.admin))
                }
            }
        }
    }
}
