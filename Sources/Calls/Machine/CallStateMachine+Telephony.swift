import Foundation

extension CallStateMachine {
    /// The change an event makes, or why it is refused; changes nothing itself.
    func nextCall(for event: TelephonyEvent, at now: Date, parent: Call?) -> Result<CallChange, CallsError> {
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
            if let parentCallId = event.parentCallId {
                guard let parent, parent.id == parentCallId, parent.isLive, parent.deviceId == event.deviceId else {
                    return .failure(
                        .invalidParameter(
                            "\(name) for call '\(event.callId)': parentCallId '\(parentCallId)' is not a live call on"
                                + " device '\(event.deviceId)'"))
                }
            }
            let defaultType: CallType =
                event.parentCallId != nil ? .consult : (state == .ringing ? .inbound : .outbound)
            let created = Call(
                id: event.callId,
                deviceId: event.deviceId,
                state: state,
                callType: event.callType ?? defaultType,
                participants: event.participants ?? [],
                ani: event.ani,
                startTime: now,
                parentCallId: event.parentCallId,
                consultOrigin: event.parentCallId != nil ? .reported : nil
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
            call = call.moved(to: .established, at: now)
        case (.held, .established):
            call = call.moved(to: .held, at: now)
        case (.released, let state) where state.isLive:
            call = call.moved(to: .released, at: now)
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
