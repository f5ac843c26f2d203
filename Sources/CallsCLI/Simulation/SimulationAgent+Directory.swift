import Calls

extension SimulationAgent {
    /// The directory's agents that own a device, in its order, each on its first device, with
    /// extensions 5001, 5002… in that order.
    /// - Parameter limit: how many to take at most; `nil` for all.
    /// - Throws: ``UsageFailure`` when the directory has no such agent.
    static func agents(in directory: Directory, limit: Int?) throws -> [SimulationAgent] {
        let principals = directory.principals.filter { $0.role == .agent && !$0.devices.isEmpty }
        guard !principals.isEmpty else {
            throw UsageFailure("the directory has no Agent principal with a device to give calls to")
        }
        return principals.prefix(limit ?? principals.count).enumerated().map { index, principal in
            SimulationAgent(id: principal.id, deviceId: principal.devices[0], extensionNumber: String(5001 + index))
        }
    }
}
