/// An agent's state in the contact centre, shown on each of the agent's devices as `userState`
/// (contract section 8).
public struct AgentState: Sendable, Hashable, Codable {
    /// The three states of an agent.
    public enum Status: String, Sendable, Hashable, Codable, CaseIterable {
        /// Not in a contact-centre session: at first, and after `EndContactCenterSession`.
        case loggedOut = "LoggedOut"
        /// In a session, not taking calls.
        case notReady = "NotReady"
        /// In a session, taking calls.
        case ready = "Ready"
    }

    /// The longest `reason`, in characters (Unicode scalars).
    public static let maximumReasonLength = 64
    /// Every agent's first state.
    public static let loggedOut = AgentState(status: .loggedOut)

    /// The state.
    public var status: Status
    /// Why the agent is not ready; only with ``Status/notReady``, when one was given.
    public var reason: String?

    /// Creates a state; a reason is kept only with ``Status/notReady``.
    public init(status: Status, reason: String? = nil) {
        self.status = status
        self.reason = status == .notReady ? reason : nil
    }
}
