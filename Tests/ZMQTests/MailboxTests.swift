import Dispatch
import Foundation
import Testing
import ZMQ

@Suite(.timeLimit(.minutes(1)))
struct MailboxTests {
    @Test func drainsEverythingPostedInOrder() throws {
        let mailbox = try Mailbox<Int>()
        #expect(mailbox.drain().isEmpty)
        for number in 1...5 { mailbox.post(number) }
        #expect(mailbox.drain() == [1, 2, 3, 4, 5])
        #expect(mailbox.drain().isEmpty)
    }

    @Test func losesNothingPostedFromAnotherThread() async throws {
        let mailbox = try Mailbox<Int>()
        let count = 10_000
        let seen = try await SocketLoop.run(name: "mailbox-reader") { () -> [Int] in
            let poller = Poller()
            let index = poller.register(mailbox)
            let finished = DispatchSemaphore(value: 0)
            Thread.detachNewThread {
                for number in 0..<count { mailbox.post(number) }
                finished.signal()
            }
            var seen: [Int] = []
            while seen.count < count {
                try poller.poll(timeout: .seconds(5))
                if poller.isReadable(at: index) { seen += mailbox.drain() }
            }
            finished.wait()
            return seen
        }
        #expect(seen == Array(0..<count))
    }
}
