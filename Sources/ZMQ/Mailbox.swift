internal import CZMQ
import Glibc
import Synchronization

/// A queue that any thread or task may post to, and that a socket loop can poll beside its
/// sockets: the way async code hands work to the thread that owns a socket.
///
/// Posting wakes a ``Poller`` that registered the mailbox (through an `eventfd`); the loop
/// then takes everything at once with ``drain()``.
public final class Mailbox<Element: Sendable>: Sendable {
    private let queue = Mutex<[Element]>([])
    let fileDescriptor: Int32

    /// Creates an empty mailbox.
    /// - Throws: ``ZMQError`` (call `eventfd`) when the process is out of file descriptors.
    public init() throws(ZMQError) {
        let descriptor = eventfd(0, Int32(EFD_NONBLOCK | EFD_CLOEXEC))
        guard descriptor >= 0 else { throw ZMQError(errno: errno, call: "eventfd") }
        fileDescriptor = descriptor
    }

    deinit { close(fileDescriptor) }

    /// Adds `element` and wakes the loop if the mailbox was empty.
    public func post(_ element: Element) {
        let wasEmpty = queue.withLock { queue in
            queue.append(element)
            return queue.count == 1
        }
        if wasEmpty { signal() }
    }

    /// Takes every element posted so far, oldest first; empty when there is none.
    public func drain() -> [Element] {
        // Reset the wake-up before taking the queue: a post racing with this drain either lands
        // in the batch taken below or finds the queue empty and signals again.
        var counter: UInt64 = 0
        _ = read(fileDescriptor, &counter, MemoryLayout<UInt64>.size)
        return queue.withLock { queue in
            defer { queue.removeAll(keepingCapacity: true) }
            return queue
        }
    }

    private func signal() {
        var one: UInt64 = 1
        while write(fileDescriptor, &one, MemoryLayout<UInt64>.size) < 0 && errno == EINTR {}
    }
}
