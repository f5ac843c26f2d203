/// Where a live call stands in a consult pair: a live `Consult` call whose parent is a live call
/// (contract section 2). The registry works it out; capabilities depend on it.
public enum ConsultPairRole: Sendable, Hashable {
    /// The call is the pair's consult call; `parent` is the other call.
    case consult(parent: Call)
    /// The call is the pair's parent; `consult` is the other call.
    case parent(consult: Call)

    /// The other call of the pair.
    public var partner: Call {
        switch self {
        case .consult(let parent): parent
        case .parent(let consult): consult
        }
    }
}
