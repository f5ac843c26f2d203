extension Call {
    /// The operations allowed now, from ``state`` and ``mute`` (contract section 2), in a fixed order.
    public var capabilities: [Capability] {
        let userDataOperations: [Capability] = [
            .attachUserData, .updateUserData, .deleteUserData, .deleteUserDataPair,
        ]
        switch state {
        case .ringing:
            return [.answer, .hangup] + userDataOperations
        case .dialing:
            return [.hangup, .sendDtmf] + userDataOperations
        case .established:
            let muteOperation: Capability = mute == .off ? .muteCall : .unmuteCall
            return [.hangup, .hold, .sendDtmf, muteOperation, .singleStepTransfer] + userDataOperations
        case .held:
            return [.hangup, .retrieve, .singleStepTransfer] + userDataOperations
        case .released:
            return []
        }
    }

    /// Whether ``capabilities`` contains `capability`.
    public func allows(_ capability: Capability) -> Bool {
        capabilities.contains(capability)
    }
}
