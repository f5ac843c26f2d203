import Foundation

/// An event as the SUB socket received it.
struct RawEvent: Sendable {
    var topic: String
    var body: Data
}
