import Calls
import CallsTesting
import Testing

/// Devices and agent state (contract section 8), against the contract written out by hand.
struct DeviceRegistryTests {
    static let notReady = AgentState(status: .notReady)
    static let onBreak = AgentState(status: .notReady, reason: "Break")
    static let ready = AgentState(status: .ready)

    /// (state before, operation, state after or nil when refused with 2).
    static let transitions: [(AgentState, UserOperation, AgentState?)] = [
        (.loggedOut, .startContactCenterSession, notReady),
        (.loggedOut, .endContactCenterSession, .loggedOut),
        (.loggedOut, .ready, nil),
        (.loggedOut, .notReady(reason: "Break"), nil),
        (notReady, .startContactCenterSession, notReady),
        (notReady, .ready, ready),
        (notReady, .notReady(reason: "Break"), onBreak),
        (notReady, .endContactCenterSession, .loggedOut),
        (ready, .ready, ready),
        (ready, .notReady(reason: nil), notReady),
        (ready, .startContactCenterSession, ready),
        (onBreak, .notReady(reason: "Lunch"), AgentState(status: .notReady, reason: "Lunch")),
        (onBreak, .ready, ready),
    ]

    @Test(arguments: transitions)
    func agentState(from before: AgentState, operation: UserOperation, to after: AgentState?) throws {
        var devices = DeviceRegistry(directory: try Fixture.directory(), agentStates: ["agent-1002": before])
        let seq = devices.deviceSeq
        let result = devices.perform(operation, userId: "agent-1002")
        guard let after else {
            #expect(result == .failure(.invalidParameter("")))
            #expect(devices.agentState(of: "agent-1002") == before && devices.deviceSeq == seq)
            return
        }
        let events = try result.get()
        #expect(devices.agentState(of: "agent-1002") == after)
        // One event per owned device when the state changed, none when it did not.
        #expect(events.map(\.device.id) == (after == before ? [] : ["dev-1002", "dev-1003"]))
        #expect(events.map(\.deviceSeq) == Array(seq + 1..<seq + 1 + UInt64(events.count)))
        #expect(events.allSatisfy { $0.device.userState == after && $0.ownerId == "agent-1002" })
    }

    @Test func aReasonIsKeptOnlyWhenNotReady() {
        #expect(AgentState(status: .ready, reason: "x").reason == nil)
        #expect(AgentState(status: .notReady, reason: "x").reason == "x")
    }

    @Test func doNotDisturbTogglesAndRefusesWhatItAlreadyIs() throws {
        var devices = DeviceRegistry(directory: try Fixture.directory())
        #expect(devices.device(id: "dev-1001")?.capabilities == [.doNotDisturbOn])
        let events = try devices.perform(.doNotDisturbOn, deviceId: "dev-1001").get()
        #expect(events.map(\.device.doNotDisturb) == [.on] && events.map(\.deviceSeq) == [1])
        #expect(devices.device(id: "dev-1001")?.capabilities == [.doNotDisturbOff])
        #expect(devices.perform(.doNotDisturbOn, deviceId: "dev-1001") == .failure(.invalidParameter("")))
        #expect(devices.perform(.doNotDisturbOff, deviceId: "nope") == .failure(.notFound("")))
        #expect(devices.deviceSeq == 1)
    }

    @Test func visibilityFollowsOwnership() throws {
        let directory = try Fixture.directory()
        let devices = DeviceRegistry(directory: directory)
        #expect(
            devices.devices(visibleTo: Fixture.admin).map(\.id) == ["dev-1001", "dev-1002", "dev-1003", "dev-9000"])
        #expect(devices.devices(visibleTo: Fixture.agent2).map(\.id) == ["dev-1002", "dev-1003"])
        #expect(devices.devices(visibleTo: Fixture.switch1).isEmpty)
        let policy = AccessPolicy(directory: directory)
        let foreign = try #require(devices.device(id: "dev-1002"))
        #expect(policy.isVisible(foreign, to: Fixture.agent1) == false)
        #expect(policy.isVisible(foreign, to: Fixture.admin))
        let errors = [foreign, nil].map { device -> CallsError? in
            do throws(CallsError) {
                _ = try policy.visibleDevice(device, id: "dev-1002", to: Fixture.agent1)
                return nil
            } catch {
                return error
            }
        }
        #expect(errors[0]?.code == .notFound && errors[0]?.message == errors[1]?.message)
    }

    @Test func restoringKeepsOnlyWhatTheDirectoryStillNames() throws {
        let devices = DeviceRegistry(
            directory: try Fixture.directory(), deviceSeq: 7,
            agentStates: ["agent-1001": Self.ready, "gone": Self.ready], doNotDisturb: ["dev-1001": .on, "gone": .on])
        #expect(devices.deviceSeq == 7)
        #expect(devices.agentStates == ["agent-1001": Self.ready])
        #expect(devices.doNotDisturb == ["dev-1001": .on])
        #expect(devices.device(id: "dev-1001")?.userState == Self.ready)
    }

    @Test func phoneNumbersComeFromTheDirectory() throws {
        let agent = Principal(id: "a", role: .agent, devices: ["d1", "d2"], devicePhoneNumbers: ["d1": "5001"])
        let directory = try Directory(principals: [agent])
        #expect(directory.phoneNumber(ofDevice: "d1") == "5001")
        #expect(directory.phoneNumber(ofDevice: "d2") == nil)
        let foreign = Principal(id: "b", role: .agent, devices: ["d1"], devicePhoneNumbers: ["d9": "5009"])
        #expect(throws: DirectoryError.self) { try Directory(principals: [foreign]) }
    }
}
