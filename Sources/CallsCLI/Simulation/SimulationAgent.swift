/// An agent the simulator gives calls to.
struct SimulationAgent: Sendable, Hashable {
    /// The principal id: the user of its operations.
    var id: String
    /// The device its calls are on.
    var deviceId: String
    /// The extension other agents dial, such as `5001`.
    var extensionNumber: String
}
