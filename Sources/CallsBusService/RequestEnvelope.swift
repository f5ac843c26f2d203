import ZMQ

/// A request as a ROUTER receives it, split into the envelope to send back and the body.
///
/// The envelope is the routing id and every frame up to and including the first empty one (a REQ
/// peer, or a DEALER that sends the delimiter); a DEALER without a delimiter gets its routing id only.
struct RequestEnvelope {
    var route: [[UInt8]]
    var body: [Message]

    init(frames: [Message]) {
        let delimiter = frames.dropFirst().firstIndex { $0.count == 0 }
        let split = delimiter.map { $0 + 1 } ?? min(1, frames.count)
        route = frames[..<split].map(\.bytes)
        body = Array(frames[split...])
    }
}
