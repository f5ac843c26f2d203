public import Foundation

/// The life of one call: telephony events and operations in, an ``Action`` out.
///
/// It does no I/O and reads no clock: the time of each input is passed in. A refused input
/// leaves ``call`` exactly as it was.
public struct CallStateMachine: Sendable {
    /// What the owner of the machine should do after an input.
    public enum Action: Sendable, Equatable {
        /// Store and publish the change: the input was accepted and ``CallStateMachine/call`` is updated.
        case publish(CallChange)
        /// Answer with the error: nothing changed, nothing is published.
        case refuse(CallsError)
    }

    /// The call, or `nil` before a creating event.
    public internal(set) var call: Call?

    /// Creates a machine for an existing call, or for none yet.
    public init(call: Call? = nil) {
        self.call = call
    }

    /// Applies a telephony event (contract section 5's table).
    /// - Parameters:
    ///   - event: what the switch reported.
    ///   - now: when it was received; becomes ``Call/releasedAt`` for a `Released` event.
    /// - Returns: ``Action/publish(_:)`` with `StatusChange` or `ParticipantsUpdated`, or ``Action/refuse(_:)``
    ///   with code 1 (a `PartiesChanged` without `participants`) or 2 (anything the table does not allow).
    public mutating func apply(_ event: TelephonyEvent, at now: Date) -> Action {
        switch nextCall(for: event, at: now) {
        case .success(let change):
            call = change.call
            return .publish(change)
        case .failure(let error):
            return .refuse(error)
        }
    }

    /// Performs an operation requested by a user (contract section 2).
    /// - Parameters:
    ///   - operation: the operation, parameters already validated.
    ///   - now: when it was requested; becomes ``Call/releasedAt`` when the call is released.
    /// - Returns: ``Action/publish(_:)``, or ``Action/refuse(_:)`` with code 6 when there is no call and
    ///   2 when the operation is not in the call's capabilities.
    public mutating func perform(_ operation: CallOperation, at now: Date) -> Action {
        guard let call else {
            return .refuse(.notFound("there is no call to \(operation.name)"))
        }
        guard call.allows(operation.capability) else {
            let allowed = call.capabilities.map(\.rawValue).joined(separator: ", ")
            return .refuse(
                .invalidParameter(
                    "\(operation.name) is not allowed on call '\(call.id)' in state \(call.state.rawValue)"
                        + " (allowed: \(allowed.isEmpty ? "none" : allowed))"
                )
            )
        }
        let change = Self.change(call, by: operation, at: now)
        guard change.call.userData.count <= Call.maximumUserDataKeys else {
            return .refuse(
                .invalidParameter(
                    "userData may hold at most \(Call.maximumUserDataKeys) keys; \(operation.name) would make it "
                        + "\(change.call.userData.count)"
                )
            )
        }
        self.call = change.call
        return .publish(change)
    }
}
