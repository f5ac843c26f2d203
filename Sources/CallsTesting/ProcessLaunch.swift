public import Foundation

/// Starts child processes one at a time across the whole test run.
///
/// Foundation's `Process.run()` on Linux crashed (a bad `memcpy` inside `run()`, seen in full
/// parallel runs) when the parallel tests of one process launched children at the same moment:
/// every test that starts a process goes through here. The same crash has a second cause that a
/// lock cannot prevent: `run()` copies each `/proc/self/fd` entry's whole 256-byte `d_name`,
/// reading past glibc's directory buffer (swift-corelibs-foundation PR 5472, not in Swift 6.3.1);
/// when that buffer ends a thread's malloc arena, the read faults. `make test` runs the tests with
/// `MALLOC_ARENA_MAX=1`: the main arena always keeps slack above its top.
public enum ProcessLaunch {
    private static let lock = NSLock()

    /// `process.run()`, under the one lock.
    public static func run(_ process: Process) throws {
        try lock.withLock { try process.run() }
    }
}
