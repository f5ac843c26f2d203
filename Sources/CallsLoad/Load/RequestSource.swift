/// What the clients of a load send: a warm-up frame, and the `n`-th request frame of client `c`.
///
/// A pure function rather than shared iterators, so that client threads share nothing mutable.
package struct RequestSource: Sendable {
    /// A request that changes nothing (no event), sent before measuring to set up the connection.
    package var warmUp: [UInt8]
    /// The frame of a client's `n`-th measured request.
    package var frame: @Sendable (_ client: Int, _ n: Int) -> [UInt8]

    /// Creates a source.
    package init(warmUp: [UInt8], frame: @escaping @Sendable (_ client: Int, _ n: Int) -> [UInt8]) {
        self.warmUp = warmUp
        self.frame = frame
    }

    /// `calls.get` as `user` for uniformly random ids among `callIds` (not empty), pre-encoded.
    package static func randomGets(of callIds: [String], user: String) -> RequestSource {
        let frames = callIds.map { getFrame(id: $0, user: user) }
        return RequestSource(warmUp: frames[0]) { client, n in
            frames[Int(SeedMixer.mix(UInt64(client) << 40 | UInt64(n)) % UInt64(frames.count))]
        }
    }

    /// The `calls.get` request frame for `id` as `user`.
    package static func getFrame(id: String, user: String) -> [UInt8] {
        Array(#"{"op":"calls.get","user":"\#(user)","id":"\#(id)"}"#.utf8)
    }
}
