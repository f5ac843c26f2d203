/// An operation on the requesting user's agent state (`users.operate`), its parameters checked.
public enum UserOperation: Sendable, Hashable {
    /// Begin a contact-centre session: `LoggedOut` -> `NotReady`.
    case startContactCenterSession
    /// End the session: -> `LoggedOut`.
    case endContactCenterSession
    /// Take calls; refused while `LoggedOut`.
    case ready
    /// Stop taking calls, with an optional reason of 1 to 64 characters; refused while `LoggedOut`.
    case notReady(reason: String?)

    /// The GWS `operationName`.
    public var name: String {
        switch self {
        case .startContactCenterSession: "StartContactCenterSession"
        case .endContactCenterSession: "EndContactCenterSession"
        case .ready: "Ready"
        case .notReady: "NotReady"
        }
    }

    /// The state it leads to from `state`, or why it is refused (2); the same state means no change.
    public func next(after state: AgentState) -> Result<AgentState, CallsError> {
        switch self {
        case .startContactCenterSession:
            return .success(state.status == .loggedOut ? AgentState(status: .notReady) : state)
        case .endContactCenterSession:
            return .success(.loggedOut)
        case .ready, .notReady:
            guard state.status != .loggedOut else {
                return .failure(
                    .invalidParameter("\(name) is not allowed while LoggedOut: start a contact-centre session first"))
            }
            if case .notReady(let reason) = self { return .success(AgentState(status: .notReady, reason: reason)) }
            return .success(AgentState(status: .ready))
        }
    }
}
