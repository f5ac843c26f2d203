import Synchronization

/// A one-shot result that a socket loop settles once and any number of tasks await: "the sockets
/// are bound at these endpoints", or the error that stopped the loop from starting.
///
/// A loop run by ``SocketLoop`` returns only when it ends, so this is how it tells async code that
/// it is ready (CZMQ's actors do the same with a signal down their pipe).
public final class ReadySignal<Value: Sendable>: Sendable {
    private enum State {
        case waiting([CheckedContinuation<Value, any Error>])
        case settled(Result<Value, any Error>)
    }

    private let state = Mutex<State>(.waiting([]))

    /// Creates an unsettled signal.
    public init() {}

    /// Settles the signal; calls after the first are ignored.
    public func resolve(_ result: Result<Value, any Error>) {
        let waiters = state.withLock { state -> [CheckedContinuation<Value, any Error>] in
            guard case .waiting(let waiters) = state else { return [] }
            state = .settled(result)
            return waiters
        }
        for waiter in waiters { waiter.resume(with: result) }
    }

    /// Waits until the signal is settled.
    /// - Throws: the error it was settled with.
    public func value() async throws -> Value {
        try await withCheckedThrowingContinuation { continuation in
            let settled = state.withLock { state -> Result<Value, any Error>? in
                switch state {
                case .waiting(let waiters):
                    state = .waiting(waiters + [continuation])
                    return nil
                case .settled(let result):
                    return result
                }
            }
            if let settled { continuation.resume(with: settled) }
        }
    }
}
