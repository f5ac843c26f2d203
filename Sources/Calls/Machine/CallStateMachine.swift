public import Foundation

/// The life of one call and of the consult pair it may be in: telephony events and operations in,
/// an ``Action`` out.
///
/// It does no I/O, reads no clock and makes no ids: the time of each input and any new call's id
/// are passed in. A refused input leaves ``call`` exactly as it was. A change may touch the other
/// call of a consult pair too (`CompleteTransfer`, `SwapCalls`, …): every changed call is in the
/// action, in the contract's order; the registry adds the events of calls whose capabilities
/// changed only through their partner.
public struct CallStateMachine: Sendable {
    /// What the owner of the machine should do after an input.
    public enum Action: Sendable, Equatable {
        /// Store and publish the changes, in this order: the input was accepted and ``CallStateMachine/call``
        /// is updated. Never empty.
        case publish([CallChange])
        /// Answer with the error: nothing changed, nothing is published.
        case refuse(CallsError)
    }

    /// The call, or `nil` before a creating event.
    public internal(set) var call: Call?
    /// Where ``call`` stands in a live consult pair, as the registry found it; `nil` when in none.
    public let pair: ConsultPairRole?

    /// Creates a machine for an existing call, or for none yet.
    public init(call: Call? = nil, pair: ConsultPairRole? = nil) {
        self.call = call
        self.pair = pair
    }

    /// Applies a telephony event (contract section 5's table).
    /// - Parameters:
    ///   - event: what the switch reported.
    ///   - now: when it was received: the call's `startTime`, `connectedTime` or `endTime` as it applies.
    ///   - parent: for a creating event with `parentCallId`, the call it names, if the registry holds it.
    /// - Returns: ``Action/publish(_:)`` with `StatusChange` or `ParticipantsUpdated`, or ``Action/refuse(_:)``
    ///   with code 1 (a `PartiesChanged` without `participants`) or 2 (anything the table does not allow).
    public mutating func apply(_ event: TelephonyEvent, at now: Date, parent: Call? = nil) -> Action {
        switch nextCall(for: event, at: now, parent: parent) {
        case .success(let change):
            call = change.call
            return .publish([change])
        case .failure(let error):
            return .refuse(error)
        }
    }

    /// Performs an operation requested by a user (contract section 2).
    /// - Parameters:
    ///   - operation: the operation, parameters already validated.
    ///   - now: when it was requested.
    ///   - newCallId: the id for a call the operation creates (`InitiateTransfer`, `InitiateConference`).
    /// - Returns: ``Action/publish(_:)``, or ``Action/refuse(_:)`` with code 6 when there is no call and
    ///   2 when the operation is not in the call's capabilities or its parameters do not fit the call.
    public mutating func perform(_ operation: CallOperation, at now: Date, newCallId: String = "") -> Action {
        guard let call else {
            return .refuse(.notFound("there is no call to \(operation.name)"))
        }
        let allowed = call.capabilities(in: pair)
        guard allowed.contains(operation.capability) else {
            let names = allowed.map(\.rawValue).joined(separator: ", ")
            return .refuse(
                .invalidParameter(
                    "\(operation.name) is not allowed on call '\(call.id)' in state \(call.state.rawValue)"
                        + " (allowed: \(names.isEmpty ? "none" : names))"
                )
            )
        }
        let changes: [CallChange]
        switch Self.changes(call, in: pair, by: operation, at: now, newCallId: newCallId) {
        case .success(let made): changes = made
        case .failure(let error): return .refuse(error)
        }
        for change in changes where change.call.userData.count > Call.maximumUserDataKeys {
            return .refuse(
                .invalidParameter(
                    "userData may hold at most \(Call.maximumUserDataKeys) keys; \(operation.name) would make it "
                        + "\(change.call.userData.count)"
                )
            )
        }
        self.call = changes.first { $0.call.id == call.id }?.call ?? call
        return .publish(changes)
    }
}

extension Call {
    /// The call moved to `state` at `now`: `connectedTime` set when it is first established,
    /// `endTime` when it is released.
    func moved(to state: CallState, at now: Date) -> Call {
        var call = self
        call.state = state
        if state == .established, call.connectedTime == nil { call.connectedTime = now }
        if state == .released { call.releasedAt = now }
        return call
    }
}
