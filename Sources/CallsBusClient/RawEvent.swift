import Foundation

/// What a subscription's socket thread hands to its subscriber.
enum RawEvent: Sendable {
    /// An event as the SUB socket received it.
    case published(topic: String, body: Data)
    /// The subscription has had time to reach the bus: anything published before that may have
    /// been missed and should be asked for from `events.replay`.
    case joinCheck
}
