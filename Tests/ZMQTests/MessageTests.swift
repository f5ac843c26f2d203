import Foundation
import Testing
import ZMQ

@Suite(.timeLimit(.minutes(1)))
struct MessageTests {
    @Test func holdsBytesOfAnySize() {
        #expect(Message().count == 0)
        let text = Message("héllo")
        #expect(text.string == "héllo")
        #expect(text.count == 6)
        let bytes = Message(bytes: [0, 255, 7])
        #expect(bytes.bytes == [0, 255, 7])
        #expect(bytes.data == Data([0, 255, 7]))
        #expect(bytes.withUnsafeBytes { $0.count } == 3)
        #expect(!bytes.hasMore)
    }

    @Test func sentMessageArrivesWithMoreFlagsAndPeerAddress() throws {
        let context = try Context()
        let pull = try Socket.pull(in: context, bindingTo: "tcp://127.0.0.1:*")
        let push = try Socket.push(in: context, connectingTo: try pull.get(.lastEndpoint))
        try push.send(Message("first"), hasMore: true)
        try push.send(Message("last"))

        let first = try pull.receive()
        #expect(first.hasMore)
        #expect(first.peerAddress == "127.0.0.1")
        #expect(first.property("Socket-Type") == "PUSH")
        #expect(first.userId == nil)
        let last = try pull.receive()
        #expect(!last.hasMore)
        #expect(last.string == "last")
    }
}
