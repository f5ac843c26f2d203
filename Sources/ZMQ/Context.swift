internal import CZMQ
import Synchronization

/// A ZeroMQ context: the I/O threads and the registry of sockets, shared by all threads.
///
/// libzmq contexts are thread-safe, so a `Context` may be passed anywhere. Sockets keep their
/// context alive; when the last reference goes, the context is terminated. Call ``shutdown()``
/// to make every blocked call on its sockets fail with ``ZMQError/Code/terminated`` — the way
/// to stop a socket loop running on another thread.
public final class Context: Sendable {
    // A libzmq context handle is documented as safe to use from any thread.
    nonisolated(unsafe) let handle: UnsafeMutableRawPointer
    private let isShutDown = Atomic<Bool>(false)

    /// Creates a context.
    /// - Parameter ioThreads: libzmq's background I/O threads; one is plenty below ~1 Gbit/s.
    /// - Throws: ``ZMQError`` when libzmq cannot create one (out of file descriptors).
    public init(ioThreads: Int = 1) throws(ZMQError) {
        guard let handle = zmq_ctx_new() else { throw ZMQError.last("zmq_ctx_new") }
        self.handle = handle
        if ioThreads != 1, zmq_ctx_set(handle, ZMQ_IO_THREADS, Int32(ioThreads)) != 0 {
            let error = ZMQError.last("zmq_ctx_set")
            zmq_ctx_term(handle)
            throw error
        }
    }

    /// Ends every blocking call on this context's sockets with a "terminated" error.
    ///
    /// Sockets stay open (their owners close them); new sockets cannot be created afterwards.
    /// Safe to call from any thread, any number of times.
    public func shutdown() {
        guard !isShutDown.exchange(true, ordering: .acquiringAndReleasing) else { return }
        zmq_ctx_shutdown(handle)
    }

    /// `true` once ``shutdown()`` was called.
    public var isShuttingDown: Bool { isShutDown.load(ordering: .acquiring) }

    deinit {
        // Every socket holds a strong reference to its context, so none is open here and
        // zmq_ctx_term cannot block waiting for one.
        while zmq_ctx_term(handle) != 0 && zmq_errno() == EINTR {}
    }

    /// libzmq's version as `(major, minor, patch)`.
    public static var libraryVersion: (major: Int, minor: Int, patch: Int) {
        var major: Int32 = 0
        var minor: Int32 = 0
        var patch: Int32 = 0
        zmq_version(&major, &minor, &patch)
        return (Int(major), Int(minor), Int(patch))
    }

    /// `true` when libzmq was built with a capability such as `"curve"` or `"ipc"`.
    public static func hasCapability(_ name: String) -> Bool {
        zmq_has(name) != 0
    }
}
