import ZMQ

/// A request as a ROUTER receives it, split into the envelope to send back and the body.
///
/// The envelope is the routing id and every frame up to and including the first empty one (a REQ
/// peer, or a DEALER that sends the delimiter); a DEALER without a delimiter gets its routing id only.
struct RequestEnvelope {
    var route: [[UInt8]]
    var body: [Message]
    /// The principal the ZAP handler admitted this connection as (CURVE); `nil` without one.
    var principal: String?

    init(frames: [Message]) {
        let delimiter = frames.dropFirst().firstIndex { $0.count == 0 }
        let split = delimiter.map { $0 + 1 } ?? min(1, frames.count)
        route = frames[..<split].map(\.bytes)
        body = Array(frames[split...])
        // The routing-id frame is made up by the ROUTER and carries no metadata; the peer's frames do.
        principal = frames.last?.userId.flatMap { $0.isEmpty ? nil : $0 }
    }
}
