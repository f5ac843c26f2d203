import Foundation

extension CallStateMachine {
    /// The change an event makes, or why it is refused; changes nothing itself.
    func nextCall(for event: TelephonyEvent, at now: Date) -> Result<CallChange, CallsError> {
        let name = "\(event.type.rawValue) event"
        if event.type == .partiesChanged, event.participants == nil {
            return .failure(.missingParameter("\(name) for call '\(event.callId)' needs 'participants'"))
        }
        if event.callId.isEmpty || event.deviceId.isEmpty {
            return .failure(.invalidParameter("\(name) needs a non-empty callId and deviceId"))
        }
        guard var call else {
            guard let state = Self.creatingState(for: event.type) else {
                return .failure(
                    .invalidParameter(
                        "\(name) for unknown call '\(event.callId)'; only Ringing or Dialing create a call")
                )
            }
            let created = Call(
                id: event.callId,
                deviceId: event.deviceId,
                state: state,
                callType: event.callType ?? (state == .ringing ? .inbound : .outbound),
                participants: event.participants ?? [],
                ani: event.ani
            )
            return .success(CallChange(call: created, notification: .statusChange))
        }
        if event.callId != call.id {
            return .failure(
                .invalidParameter("\(name) names call '\(event.callId)' but this machine holds call '\(call.id)'")
            )
        }
        if event.type.isCreating {
            return .failure(
                .invalidParameter("\(name) for call '\(call.id)', which already exists (state \(call.state.rawValue))")
            )
        }
        if event.deviceId != call.deviceId {
            return .failure(
                .invalidParameter(
                    "\(name) names device '\(event.deviceId)' but call '\(call.id)' is on device '\(call.deviceId)'"
                )
            )
        }
        let refusal = CallsError.invalidParameter(
            "\(name) is not allowed on call '\(call.id)' in state \(call.state.rawValue)"
        )
        switch (event.type, call.state) {
        case (.established, .ringing), (.established, .dialing), (.retrieved, .held):
            call.state = .established
        case (.held, .established):
            call.state = .held
        case (.released, let state) where state.isLive:
            call.state = .released
            call.releasedAt = now
        case (.partiesChanged, let state) where state.isLive:
            call.participants = event.participants ?? []
            return .success(CallChange(call: call, notification: .participantsUpdated))
        default:
            return .failure(refusal)
        }
        return .success(CallChange(call: call, notification: .statusChange))
    }

    private static func creatingState(for type: TelephonyEventType) -> CallState? {
        switch type {
        case .ringing: .ringing
        case .dialing: .dialing
        default: nil
        }
    }
}
