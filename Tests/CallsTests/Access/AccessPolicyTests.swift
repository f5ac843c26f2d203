import Calls
import CallsTesting
import Testing

/// The permission matrix (role x own/other device x request kind) and the contract's check order.
struct AccessPolicyTests {
    enum Device: String, CaseIterable, Sendable {
        case own, other
    }

    enum Outcome: Equatable, Sendable {
        /// Allowed, and the call is seen (listed, read or operated).
        case sees
        /// Allowed, but the call is not among what the user sees (an empty list or replay).
        case seesNothing
        /// Allowed: a telephony report, about no call in particular.
        case reports
        /// Refused with this status code.
        case refused(Int)
    }

    static let users: [Role: Principal] = [
        .contactCenterAdmin: Fixture.admin, .agent: Fixture.agent1, .telephony: Fixture.switch1,
    ]

    /// The device a user calls its own: the admin's, the agent's, and an unowned one for Telephony (it owns none).
    static let ownDevice: [Role: String] = [
        .contactCenterAdmin: "dev-9000", .agent: "dev-1001", .telephony: "dev-7000",
    ]

    static let matrix: [Role: [Device: [RequestKind: Outcome]]] = [
        .contactCenterAdmin: [
            .own: [.list: .sees, .get: .sees, .operate: .sees, .report: .refused(5), .replay: .sees] + Self.person,
            .other: [.list: .sees, .get: .sees, .operate: .sees, .report: .refused(5), .replay: .sees] + Self.person,
        ],
        .agent: [
            .own: [.list: .sees, .get: .sees, .operate: .sees, .report: .refused(5), .replay: .sees] + Self.person,
            .other: [
                .list: .seesNothing, .get: .refused(6), .operate: .refused(6), .report: .refused(5),
                .replay: .seesNothing, .dial: .refused(6), .readDevices: .refused(6), .operateDevice: .refused(6),
                .readUser: .sees, .operateUser: .sees,
            ],
        ],
        .telephony: [
            .own: [
                .list: .seesNothing, .get: .refused(6), .operate: .refused(5), .report: .reports, .replay: .seesNothing,
            ] + Self.switchAdapter,
            .other: [
                .list: .seesNothing, .get: .refused(6), .operate: .refused(5), .report: .reports, .replay: .seesNothing,
            ] + Self.switchAdapter,
        ],
    ]

    /// A person's device and user requests on a device it may see.
    static let person: [RequestKind: Outcome] = [
        .dial: .sees, .readDevices: .sees, .operateDevice: .sees, .readUser: .sees, .operateUser: .sees,
    ]

    /// A switch adapter sees no device and is no user of the contact centre.
    static let switchAdapter: [RequestKind: Outcome] = [
        .dial: .refused(5), .readDevices: .refused(6), .operateDevice: .refused(5), .readUser: .refused(5),
        .operateUser: .refused(5),
    ]

    /// Runs a request the way the bus does: who, may the role, is the call visible (or, for lists, which calls).
    static func outcome(of kind: RequestKind, by user: String?, on call: Call) throws -> Outcome {
        let policy = AccessPolicy(directory: try Fixture.directory())
        var registry = CallRegistry(directory: policy.directory)
        _ = registry.apply(TelephonyEvent(type: .ringing, callId: call.id, deviceId: call.deviceId), at: Fixture.now)
        do throws(CallsError) {
            let principal = try policy.authorize(user: user, for: kind)
            switch kind {
            case .list, .replay:
                let listed = registry.calls(visibleTo: principal)
                #expect(listed.allSatisfy { policy.isVisible($0, to: principal) })
                return listed.map(\.id).contains(call.id) ? .sees : .seesNothing
            case .get, .operate:
                _ = try policy.visibleCall(registry.call(id: call.id), id: call.id, to: principal)
                return .sees
            case .report:
                return .reports
            case .dial, .readDevices, .operateDevice:
                let devices = DeviceRegistry(directory: policy.directory)
                _ = try policy.visibleDevice(devices.device(id: call.deviceId), id: call.deviceId, to: principal)
                return .sees
            case .readUser, .operateUser:
                return .sees
            }
        } catch {
            return .refused(error.code.statusCode)
        }
    }

    @Test(arguments: Role.allCases, Device.allCases)
    func permissionMatrix(role: Role, device: Device) throws {
        let user = try #require(Self.users[role])
        let deviceId = device == .own ? try #require(Self.ownDevice[role]) : "dev-1002"
        let call = Call(id: "c1", deviceId: deviceId, state: .ringing, callType: .inbound)
        for kind in RequestKind.allCases {
            let expected = Self.matrix[role]?[device]?[kind]
            #expect(try Self.outcome(of: kind, by: user.id, on: call) == expected, "\(role) \(device) \(kind)")
        }
    }

    @Test(arguments: RequestKind.allCases)
    func checkOrder(kind: RequestKind) throws {
        let invisible = Call(id: "c1", deviceId: "dev-1002", state: .ringing, callType: .inbound)
        #expect(try Self.outcome(of: kind, by: nil, on: invisible) == .refused(1))
        #expect(try Self.outcome(of: kind, by: "", on: invisible) == .refused(1))
        #expect(try Self.outcome(of: kind, by: "Agent-1001", on: invisible) == .refused(20))
        #expect(try Self.outcome(of: kind, by: "nobody", on: invisible) == .refused(20))
    }

    @Test func anInvisibleCallAnswersExactlyLikeAMissingOne() throws {
        let policy = AccessPolicy(directory: try Fixture.directory())
        let invisible = Call(id: "c1", deviceId: "dev-1002", state: .ringing, callType: .inbound)
        let errors = [invisible, nil].map { call -> CallsError? in
            do throws(CallsError) {
                _ = try policy.visibleCall(call, id: "c1", to: Fixture.agent1)
                return nil
            } catch {
                return error
            }
        }
        #expect(errors.map { $0?.code } == [.notFound, .notFound])
        #expect(errors[0]?.message == errors[1]?.message)
        #expect(errors[0]?.message == AccessPolicy.notFound(id: "c1").message)
    }

    /// With CURVE: (the connection's current principal, the request's user, allowed?).
    @Test(
        arguments: [
            ("agent-1001", "agent-1001", true), ("agent-1001", "admin", false), ("gateway", "agent-1001", true),
            ("gateway", "admin", true), ("admin", "agent-1001", false), (nil, "agent-1001", false),
        ] as [(String?, String, Bool)])
    func aConnectionSpeaksForItsOwnPrincipalUnlessItActsForUsers(connection: String?, user: String, isAllowed: Bool)
        throws
    {
        let policy = AccessPolicy(directory: try Fixture.directory())
        let principal = try #require(policy.directory.principal(id: user))
        let result = Result { () throws(CallsError) in try policy.checkConnection(connection, mayActAs: principal) }
        switch result {
        case .success: #expect(isAllowed)
        case .failure(let error):
            #expect(!isAllowed)
            #expect(error.code == .noPermission)
            #expect(error.message.contains(connection == nil ? "revoked" : "may not act as"))
        }
    }

    @Test func visibilityFollowsTheRoleNotActsForUsers() throws {
        let policy = AccessPolicy(directory: try Fixture.directory())
        let call = Call(id: "c1", deviceId: "dev-1001", state: .ringing, callType: .inbound)
        #expect(!policy.isVisible(call, to: Fixture.gateway))
        #expect(policy.maySubscribeToAllEvents(Fixture.gateway))
        #expect(policy.maySubscribeToAllEvents(Fixture.admin))
        #expect(!policy.maySubscribeToAllEvents(Fixture.agent1))
        #expect(!policy.maySubscribeToAllEvents(Fixture.switch1))
    }
}

extension Dictionary {
    /// Both dictionaries' entries; the right one wins on a repeated key.
    fileprivate static func + (left: Self, right: Self) -> Self {
        left.merging(right) { _, new in new }
    }
}
