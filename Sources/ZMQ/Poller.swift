internal import CZMQ

/// Waits on several sockets (and mailboxes) at once: `zmq_poll` with a timeout.
///
/// Register each item once, then call ``poll(timeout:)`` in the loop and ask
/// ``isReadable(_:)`` of the ones you care about. Owned by one thread, like its sockets.
public final class Poller {
    private var items: [zmq_pollitem_t] = []
    private var sockets: [Socket?] = []
    private var retained: [AnyObject] = []

    /// Creates an empty poller.
    public init() {}

    /// Watches `socket` for incoming frames (and, when asked, for room to send).
    /// - Returns: the item's index, usable with ``isReadable(at:)``.
    @discardableResult
    public func register(_ socket: Socket, writable: Bool = false) -> Int {
        let events = Int16(ZMQ_POLLIN) | (writable ? Int16(ZMQ_POLLOUT) : 0)
        items.append(zmq_pollitem_t(socket: socket.handle, fd: -1, events: events, revents: 0))
        sockets.append(socket)
        return items.count - 1
    }

    /// Watches a mailbox: it is readable while posted elements wait to be drained.
    @discardableResult
    public func register<Element>(_ mailbox: Mailbox<Element>) -> Int {
        items.append(zmq_pollitem_t(socket: nil, fd: mailbox.fileDescriptor, events: Int16(ZMQ_POLLIN), revents: 0))
        sockets.append(nil)
        retained.append(mailbox)
        return items.count - 1
    }

    /// Waits until an item is ready or `timeout` passes; `nil` waits without limit.
    /// - Returns: how many items are ready (0 on timeout).
    /// - Throws: ``ZMQError``; ``ZMQError/Code/terminated`` once the context shuts down.
    @discardableResult
    public func poll(timeout: Duration?) throws(ZMQError) -> Int {
        let milliseconds = timeout.map { max(0, $0.roundedUpMilliseconds) } ?? -1
        while true {
            let ready = items.withUnsafeMutableBufferPointer {
                zmq_poll($0.baseAddress, Int32($0.count), milliseconds)
            }
            if ready >= 0 { return Int(ready) }
            let error = ZMQError.last("zmq_poll")
            if error.code != .interrupted { throw error }
        }
    }

    /// `true` when the item at `index` had input waiting at the last ``poll(timeout:)``.
    public func isReadable(at index: Int) -> Bool {
        items[index].revents & Int16(ZMQ_POLLIN) != 0
    }

    /// `true` when the item at `index` could send at the last ``poll(timeout:)``.
    public func isWritable(at index: Int) -> Bool {
        items[index].revents & Int16(ZMQ_POLLOUT) != 0
    }

    /// `true` when `socket` had input waiting at the last ``poll(timeout:)``.
    public func isReadable(_ socket: Socket) -> Bool {
        guard let index = sockets.firstIndex(where: { $0 === socket }) else { return false }
        return isReadable(at: index)
    }
}

@available(*, unavailable, message: "a poller belongs to the thread that owns its sockets")
extension Poller: Sendable {}
