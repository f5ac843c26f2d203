extension Call {
    /// The operations allowed now, from ``state``, ``mute``, ``recordingState``, ``participants``
    /// and the call's place in a consult pair (contract section 2), in a fixed order.
    /// - Parameter pair: where the call stands in a live consult pair; `nil` when in none. Only the
    ///   registry knows the other call: ask it (``CallRegistry/capabilities(of:)``) for a stored call.
    public func capabilities(in pair: ConsultPairRole? = nil) -> [Capability] {
        let userDataOperations: [Capability] = [
            .attachUserData, .updateUserData, .deleteUserData, .deleteUserDataPair,
        ]
        var allowed: [Capability]
        switch state {
        case .ringing:
            return [.answer, .hangup] + userDataOperations
        case .dialing:
            allowed = [.hangup, .sendDtmf]
        case .established:
            allowed = [.hangup, .hold, .sendDtmf, mute == .off ? .muteCall : .unmuteCall]
            allowed += [.singleStepTransfer, .singleStepConference]
            if pair == nil { allowed += [.initiateTransfer, .initiateConference] }
            if participants.count >= 2 { allowed.append(.removeParticipantFromConference) }
            allowed += recordingOperations
        case .held:
            allowed = [.hangup]
            if pair == nil { allowed.append(.retrieve) }
            allowed.append(.singleStepTransfer)
            allowed += recordingOperations
        case .released:
            return []
        }
        if case .consult = pair, state == .dialing || state == .established {
            switch consultOrigin {
            case .transfer: allowed.append(.completeTransfer)
            case .conference: allowed.append(.completeConference)
            case .reported, nil: allowed += [.completeTransfer, .completeConference]
            }
        }
        if let partner = pair?.partner, Set([state, partner.state]) == [.held, .established] {
            allowed.append(.swapCalls)
        }
        return allowed + userDataOperations
    }

    /// The recording operations ``recordingState`` allows.
    private var recordingOperations: [Capability] {
        switch recordingState {
        case nil, .stopped: [.startCallRecording]
        case .recording: [.pauseCallRecording, .stopCallRecording]
        case .paused: [.resumeCallRecording, .stopCallRecording]
        }
    }

    /// The operations allowed now for a call in no consult pair.
    public var capabilities: [Capability] {
        capabilities(in: nil)
    }

    /// Whether ``capabilities(in:)`` contains `capability`.
    public func allows(_ capability: Capability, in pair: ConsultPairRole? = nil) -> Bool {
        capabilities(in: pair).contains(capability)
    }
}
