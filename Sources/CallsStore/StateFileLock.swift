import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// An exclusive advisory lock (`flock`) on the state file, held while a store is open, so that a
/// second bus started on the same file refuses at once instead of failing at its first write.
///
/// `flock` locks do not interact with the POSIX record locks SQLite takes, so other SQLite
/// clients (a backup, `sqlite3` for a look) can still open the file; only another store cannot.
final class StateFileLock: Sendable {
    /// The locked descriptor; -1 once released.
    private let descriptor: Atomic<Int32>

    /// Opens (creating if needed) `path` and locks it, without waiting.
    /// - Throws: ``CallStoreError/Code/locked`` when another store holds it,
    ///   ``CallStoreError/Code/cannotOpen`` when the file cannot be opened.
    init(path: String) throws(CallStoreError) {
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw CallStoreError(
                code: .cannotOpen,
                message: "cannot open the state file \(path): \(String(cString: strerror(errno)))"
            )
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let reason = errno
            close(descriptor)
            if reason == EWOULDBLOCK {
                throw CallStoreError(
                    code: .locked,
                    message: "the state file \(path) is in use by another calls-bus; stop it first or give this one "
                        + "its own --state"
                )
            }
            throw CallStoreError(
                code: .cannotOpen,
                message: "cannot lock the state file \(path): \(String(cString: strerror(reason)))"
            )
        }
        self.descriptor = Atomic(descriptor)
    }

    /// Closes the descriptor, which drops the lock; later calls do nothing.
    func release() {
        let descriptor = descriptor.exchange(-1, ordering: .acquiringAndReleasing)
        if descriptor >= 0 { close(descriptor) }
    }

    deinit {
        release()
    }
}
