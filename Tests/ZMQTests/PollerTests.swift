import Testing
import ZMQ

@Suite(.timeLimit(.minutes(1)))
struct PollerTests {
    @Test func wakesOnTheSocketThatHasInput() throws {
        let context = try Context()
        let first = try Socket.pull(in: context, bindingTo: "inproc://poll-first")
        let second = try Socket.pull(in: context, bindingTo: "inproc://poll-second")
        let pushFirst = try Socket.push(in: context, connectingTo: "inproc://poll-first")
        let pushSecond = try Socket.push(in: context, connectingTo: "inproc://poll-second")
        _ = pushFirst
        let poller = Poller()
        let firstIndex = poller.register(first)
        let secondIndex = poller.register(second)

        #expect(try poller.poll(timeout: .milliseconds(10)) == 0)

        try pushSecond.send("wake up")
        #expect(try poller.poll(timeout: .seconds(5)) == 1)
        #expect(!poller.isReadable(at: firstIndex))
        #expect(poller.isReadable(at: secondIndex))
        #expect(poller.isReadable(second))
        #expect(!poller.isReadable(first))
        #expect(try second.receive().string == "wake up")
    }

    @Test func reportsRoomToSend() throws {
        let context = try Context()
        let pull = try Socket.pull(in: context, bindingTo: "inproc://poll-writable")
        let push = try Socket.push(in: context, connectingTo: "inproc://poll-writable")
        _ = pull
        let poller = Poller()
        let index = poller.register(push, writable: true)
        #expect(try poller.poll(timeout: .seconds(5)) == 1)
        #expect(poller.isWritable(at: index))
        #expect(!poller.isReadable(at: index))
    }

    @Test func wakesOnAMailboxPostedFromAnotherTask() async throws {
        let context = try Context()
        let mailbox = try Mailbox<String>()
        let posted = Task.detached { mailbox.post("from a task") }
        let drained = try await SocketLoop.run(name: "poller") { () -> [String] in
            let idle = try Socket.pull(in: context, bindingTo: "inproc://poll-mailbox")
            let poller = Poller()
            poller.register(idle)
            let mailboxIndex = poller.register(mailbox)
            var received: [String] = []
            while received.isEmpty {
                try poller.poll(timeout: .seconds(5))
                if poller.isReadable(at: mailboxIndex) { received += mailbox.drain() }
            }
            return received
        }
        await posted.value
        #expect(drained == ["from a task"])
    }
}
