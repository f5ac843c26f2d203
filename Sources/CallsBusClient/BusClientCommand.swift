import Foundation

/// Work handed from async callers to the client's socket thread.
enum BusClientCommand: Sendable {
    case request(
        id: UInt64, frame: Data, deadline: ContinuousClock.Instant, reply: CheckedContinuation<Data, any Error>)
    case subscribe(id: UInt64, prefix: String, sink: AsyncStream<RawEvent>.Continuation)
    case unsubscribe(id: UInt64)
}
