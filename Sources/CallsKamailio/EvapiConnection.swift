import NIOCore
import NIOPosix

/// A connection to Kamailio's evapi server: its dialog events, in order.
enum EvapiConnection {
    /// Connects to `host:port` and calls `connected`, then `handle` with each payload until the
    /// connection ends.
    /// - Throws: the connection's error, or ``NetstringError`` when the bytes are not netstrings.
    static func run(
        host: String, port: Int, connected: () async throws -> Void, handle: ([UInt8]) async throws -> Void
    ) async throws {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(.seconds(2))
            .connect(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        try await channel.executeThenClose { inbound, _ in
            // Events that arrive while `connected` reads dlg.list wait in the channel's buffer.
            try await connected()
            var decoder = NetstringDecoder()
            for try await buffer in inbound {
                decoder.append(buffer.readableBytesView)
                while let payload = try decoder.next() {
                    try await handle(payload)
                }
            }
        }
    }
}
