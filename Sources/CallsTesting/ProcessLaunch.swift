public import Foundation

/// Starts child processes one at a time across the whole test run.
///
/// Foundation's `Process.run()` on Linux crashed (a bad `memcpy` inside `run()`, seen in full
/// parallel runs) when the parallel tests of one process launched children at the same moment:
/// every test that starts a process goes through here.
public enum ProcessLaunch {
    private static let lock = NSLock()

    /// `process.run()`, under the one lock.
    public static func run(_ process: Process) throws {
        try lock.withLock { try process.run() }
    }
}
