import ServiceLifecycle
import Synchronization

/// A command's work as a `Service`, so that it runs in the same `ServiceGroup` as the bus client:
/// started after the client, shut down before it, and told about SIGINT/SIGTERM by the group.
///
/// Its outcome is kept rather than thrown, so that a refusal is reported as such and not as a
/// service failure of the group.
final class CommandWork<Value: Sendable>: Service {
    private let body: @Sendable () async throws -> Value
    private let result = Mutex<Result<Value, any Error>?>(nil)

    /// Wraps `body`.
    init(_ body: @escaping @Sendable () async throws -> Value) {
        self.body = body
    }

    /// Runs the body once and keeps what it returned or threw.
    func run() async {
        let outcome: Result<Value, any Error>
        do {
            outcome = .success(try await body())
        } catch {
            outcome = .failure(error)
        }
        result.withLock { $0 = outcome }
    }

    /// What the body returned or threw; `nil` when it never ran to the end.
    var outcome: Result<Value, any Error>? {
        result.withLock { $0 }
    }
}
