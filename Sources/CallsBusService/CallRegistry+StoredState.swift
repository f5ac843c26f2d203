import Calls
import CallsStore

extension CallRegistry {
    /// The registry a store's contents describe: at start, and after a failed commit, when memory
    /// must be exactly what is stored.
    init(restoring state: StoredState, directory: Directory, releasedRetention: Double) {
        self.init(
            directory: directory,
            releasedRetention: releasedRetention,
            calls: state.calls,
            seq: state.seq,
            ownerSeqs: state.ownerSeqs
        )
    }
}

extension DeviceRegistry {
    /// A device registry as the store kept it: `deviceSeq` goes on after the stored one.
    init(restoring state: StoredState, directory: Directory) {
        self.init(
            directory: directory, deviceSeq: state.deviceSeq, agentStates: state.agentStates,
            doNotDisturb: state.doNotDisturb)
    }
}
