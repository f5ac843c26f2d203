import Calls
import CallsBusMessages
import CallsJSON
import Foundation
import Testing

@testable import CallsCLI

/// The simulator's plans, checked offline against the real domain: the same seed gives the same
/// plan, and nothing in a long plan is refused by the state machine or the access policy.
struct PlanGeneratorTests {
    /// Six agents, one device each.
    static let agents = (0..<6).map {
        SimulationAgent(id: "agent-\(1001 + $0)", deviceId: "dev-\(1001 + $0)", extensionNumber: String(5001 + $0))
    }

    /// The agents, an admin and the switch.
    static let directory: Directory = {
        // Fixed and valid: a failure here is a broken test suite.
        try! Directory(
            principals: [
                Principal(id: "admin", role: .contactCenterAdmin), Principal(id: "switch-1", role: .telephony),
            ]
                + agents.map { Principal(id: $0.id, role: .agent, devices: [$0.deviceId]) })
    }()

    private func settings(seed: UInt64, limit: SimulationSettings.Limit = .calls(2_000)) -> SimulationSettings {
        SimulationSettings(agents: Self.agents, rate: 5, limit: limit, seed: seed, idPrefix: "t-", meanCallSeconds: nil)
    }

    @Test func theSameSeedGivesTheSamePlanAndAnotherSeedAnother() {
        let first = PlanGenerator.plan(settings(seed: 7, limit: .calls(300)))
        let again = PlanGenerator.plan(settings(seed: 7, limit: .calls(300)))
        let other = PlanGenerator.plan(settings(seed: 8, limit: .calls(300)))
        #expect(first == again)
        #expect(first.actions.count > 1_000)
        #expect(first != other)
        #expect(first.actions.map(\.action) != other.actions.map(\.action))
    }

    @Test func actionsAreInTimeOrder() {
        let plan = PlanGenerator.plan(settings(seed: 3, limit: .calls(500)))
        #expect(zip(plan.actions, plan.actions.dropFirst()).allSatisfy { $0.time <= $1.time })
    }

    /// Every action of a 2,000-call plan replayed through `CallRegistry` as the bus would: access
    /// checked, requests decoded from their wire form, each applied at its planned time.
    @Test func aLongPlanHasNoRefusals() throws {
        let plan = PlanGenerator.plan(settings(seed: 42))
        let refusals = try Self.replay(plan)
        #expect(refusals.isEmpty, "\(refusals.count) refusals, first: \(refusals.prefix(3))")
        #expect(plan.arrivals == 2_000)
        #expect(plan.callsCreated > 2_000)
    }

    @Test func aLongPlanExercisesEveryEventOperationAndCallType() {
        let plan = PlanGenerator.plan(settings(seed: 42))
        var events = Set<TelephonyEventType>()
        var operations = Set<Capability>()
        var callTypes = Set<CallType>()
        var agentOperations = Set<String>()
        var reasons = Set<String>()
        for planned in plan.actions {
            switch planned.action {
            case .telephony(let event):
                events.insert(event.type)
                if let callType = event.callType { callTypes.insert(callType) }
            case .operation(_, _, let operation):
                operations.insert(operation.capability)
            case .agent(_, let operation):
                agentOperations.insert(operation.name)
                if case .notReady(let reason?) = operation { reasons.insert(reason) }
            }
        }
        #expect(events == Set(TelephonyEventType.allCases))
        #expect(operations == Set(Capability.allCases))
        #expect(callTypes == Set(CallType.allCases))
        #expect(agentOperations == ["StartContactCenterSession", "Ready", "NotReady"])
        #expect(reasons == Set(PlanGenerator.notReadyReasons))
    }

    /// Consult calls that the bus names are played through: the switch reports them established,
    /// and some are swapped with their parent, then completed as transfers and as conferences.
    @Test func initiatedConsultCallsAreReportedSwappedAndCompleted() {
        let plan = PlanGenerator.plan(settings(seed: 42))
        let standIns = Set(plan.actions.compactMap { $0.action.createsCall ? $0.otherCall?.callId : nil })
        #expect(standIns.count > 50)
        var seen: [String: [String]] = [:]
        for planned in plan.actions {
            switch planned.action {
            case .telephony(let event) where standIns.contains(event.callId):
                seen[event.callId, default: []].append(event.type.rawValue)
            case .operation(_, let callId, let operation) where standIns.contains(callId):
                seen[callId, default: []].append(operation.name)
            default: break
            }
        }
        #expect(seen.values.allSatisfy { $0.first == "Established" })
        for sequence in [["Established", "CompleteTransfer"], ["Established", "SwapCalls", "CompleteConference"]] {
            #expect(seen.values.contains(sequence), "\(sequence)")
        }
    }

    @Test func aDurationLimitCutsThePlanAndReleasesWhatIsLive() throws {
        let plan = PlanGenerator.plan(
            SimulationSettings(
                agents: Self.agents, rate: 4, limit: .duration(20), seed: 5, idPrefix: "d-", meanCallSeconds: 8))
        #expect(plan.actions.allSatisfy { $0.time <= 20 })
        #expect(try Self.replay(plan).isEmpty)
        var live: Set<String> = []
        for planned in plan.actions {
            for change in planned.liveness {
                if change.isLive { live.insert(change.callId) } else { live.remove(change.callId) }
            }
        }
        #expect(live.isEmpty)
    }

    /// The refusals met replaying `plan` through the access policy and the registries, as the bus
    /// would; consult calls that the plan names by a stand-in get the registry's ids, as the
    /// executor learns them from the replies.
    static func replay(_ plan: SimulationPlan) throws -> [String] {
        let policy = AccessPolicy(directory: directory)
        var registry = CallRegistry(directory: directory)
        var devices = DeviceRegistry(directory: directory)
        var busIds: [String: String] = [:]
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        var refusals: [String] = []
        for planned in plan.actions {
            let now = start.addingTimeInterval(planned.time)
            let result: Result<String?, CallsError>
            do {
                switch planned.action.resolving(busIds) {
                case .telephony(let event):
                    _ = try policy.authorize(user: "switch-1", for: .report)
                    // Through the wire form, as the bus reads it.
                    result = registry.apply(try TelephonyEvent(json: event.jsonValue), at: now).map(\.createdCallId)
                case .operation(let user, let callId, let operation):
                    let principal = try policy.authorize(user: user, for: .operate)
                    _ = try policy.visibleCall(registry.call(id: callId), id: callId, to: principal)
                    let decoded = try CallOperation(operationName: operation.name, parameters: operation.parameters)
                    result = registry.perform(decoded, callId: callId, at: now).map(\.createdCallId)
                case .agent(let user, let operation):
                    _ = try policy.authorize(user: user, for: .operateUser)
                    let request = SimulationAction.agent(user: user, operation).request(telephonyUser: "switch-1")
                    let decoded = try UserOperation(
                        operationName: request.fields["operationName"]?.stringValue, parameters: request.fields)
                    result = devices.perform(decoded, userId: user).map { _ in nil }
                }
            } catch {
                result = .failure(error)
            }
            switch result {
            case .success(let created?):
                if let standIn = planned.otherCall?.callId { busIds[standIn] = created }
            case .success(nil):
                break
            case .failure(let error):
                refusals.append("\(planned.time) \(planned.action): \(error)")
            }
        }
        return refusals
    }
}
