import ZMQ

/// A request as a ROUTER receives it, split into the envelope to send back and the body.
///
/// The envelope is the routing id and every frame up to and including the first empty one (a REQ
/// peer, or a DEALER that sends the delimiter); a DEALER without a delimiter gets its routing id only.
struct RequestEnvelope {
    var route: [[UInt8]]
    /// The body frames kept: the first, and a second only as evidence that there were more.
    var body: [Message]
    /// How many body frames the request had in all.
    var bodyCount: Int
    /// The `User-Id` the ZAP handler gave this connection (CURVE: its key, in Z85); `nil` without one.
    var userId: String?

    /// Frames a request is read into at most: routing id, delimiter, body, and one more body frame
    /// to tell a request of several frames; the rest are released unread.
    static let framesKept = 4

    /// - Parameters:
    ///   - frames: the first frames of the message, at most ``framesKept``.
    ///   - total: how many frames the message had in all.
    init(frames: [Message], total: Int) {
        let delimiter = frames.dropFirst().firstIndex { $0.count == 0 }
        let split = delimiter.map { $0 + 1 } ?? min(1, frames.count)
        route = frames[..<split].map(\.bytes)
        body = Array(frames[split...])
        bodyCount = total - split
        // The routing-id frame is made up by the ROUTER and carries no metadata; the peer's frames do.
        userId = frames.last?.userId.flatMap { $0.isEmpty ? nil : $0 }
    }
}
