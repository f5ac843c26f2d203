import Foundation

/// Runs a blocking socket loop on a thread of its own and awaits its end from async code.
///
/// Blocking ZeroMQ calls must never sit on Swift's cooperative pool (two cores here: two
/// blocked calls would stall every task). The loop owns its sockets; results travel to async
/// code through an `AsyncStream` or continuations, work travels in through a ``Mailbox``.
public enum SocketLoop {
    /// Starts `body` on a new thread and returns what it returns.
    ///
    /// When the awaiting task is cancelled, `onCancel` runs (typically `context.shutdown()`, which
    /// makes the loop's blocked call fail with ``ZMQError/Code/terminated``); the loop is still
    /// awaited to its end, so its sockets are closed when this returns.
    /// - Parameters:
    ///   - name: the thread's name, shown by debuggers and `top -H`.
    ///   - onCancel: how to make the loop return early.
    ///   - body: the loop; it runs to completion on the new thread.
    /// - Throws: whatever `body` throws.
    public static func run<Result: Sendable>(
        name: String,
        onCancel: @escaping @Sendable () -> Void = {},
        _ body: @escaping @Sendable () throws -> Result
    ) async throws -> Result {
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Result, any Error>) in
                let thread = Thread {
                    continuation.resume(with: Swift.Result { try body() })
                }
                thread.name = name
                thread.start()
            }
        } onCancel: {
            onCancel()
        }
    }
}
