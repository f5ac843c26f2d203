import CallsTesting
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The built `calls` executable, run as a subprocess with its output going to files (a pipe
/// that nobody reads would fill up and block a chatty watcher).
///
/// Owned by one test; a process still running when this is released is killed.
final class CLIProcess {
    /// What a finished run left.
    struct Result {
        /// The exit status.
        var status: Int32
        /// Everything written to stdout.
        var stdout: String
        /// Everything written to stderr.
        var stderr: String

        /// stdout's lines.
        var lines: [String] { stdout.split(separator: "\n").map(String.init) }
    }

    /// `.build/debug/calls` of this package, found from this file's path.
    static let executable = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent(".build/debug/calls")

    private let process = Process()
    private let folder = TemporaryDirectory()
    private let arguments: [String]

    /// Starts `calls` with `arguments`; `CALLS_*` variables of the test's own environment are
    /// dropped, so only `environment` sets them.
    init(_ arguments: [String], environment: [String: String] = [:]) throws {
        self.arguments = arguments
        guard FileManager.default.isExecutableFile(atPath: Self.executable.path) else {
            throw CLITestError("\(Self.executable.path) is missing: run `swift build` first")
        }
        process.executableURL = Self.executable
        process.arguments = arguments
        var variables = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("CALLS_") }
        // The whole suite runs in parallel on two cores: a busy moment must not read as a bus that
        // does not answer. Tests of the timeout itself pass --timeout, which wins.
        variables["CALLS_TIMEOUT"] = "20"
        variables.merge(environment) { _, given in given }
        process.environment = variables
        for name in ["out", "err"] { _ = FileManager.default.createFile(atPath: folder.file(name), contents: nil) }
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: folder.file("out")))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: folder.file("err")))
        process.standardInput = FileHandle.nullDevice
        try ProcessLaunch.run(process)
    }

    deinit {
        if process.isRunning {
            // SIGKILL ends a stopped process too.
            Glibc.kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        folder.remove()
    }

    /// Runs `calls` to its end.
    static func run(
        _ arguments: [String], environment: [String: String] = [:], timeout: Duration = .seconds(30)
    ) async throws -> Result {
        try await CLIProcess(arguments, environment: environment).waitForExit(timeout: timeout)
    }

    /// What was written to stdout so far.
    var stdout: String { read("out") }

    /// What was written to stderr so far.
    var stderr: String { read("err") }

    /// Sends `signal` to the process.
    func send(signal: Int32) {
        Glibc.kill(process.processIdentifier, signal)
    }

    /// Waits for the process to exit, killing it after `timeout`.
    /// - Throws: ``CLITestError`` when it had to be killed.
    func waitForExit(timeout: Duration = .seconds(30)) async throws -> Result {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning {
            guard ContinuousClock.now < deadline else {
                send(signal: SIGKILL)
                throw CLITestError("calls \(arguments) did not exit within \(timeout); stderr: \(stderr)")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        return Result(status: process.terminationStatus, stdout: stdout, stderr: stderr)
    }

    /// Waits until stderr (or stdout) contains `text`.
    /// - Throws: ``CLITestError`` when it does not within `timeout`, or the process exits first.
    func waitFor(_ text: String, inStdout: Bool = false, timeout: Duration = .seconds(20)) async throws {
        let deadline = ContinuousClock.now + timeout
        while !(inStdout ? stdout : stderr).contains(text) {
            guard process.isRunning, ContinuousClock.now < deadline else {
                throw CLITestError("calls \(arguments) never printed '\(text)'; stderr: \(stderr)")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    private func read(_ name: String) -> String {
        (try? String(contentsOfFile: folder.file(name), encoding: .utf8)) ?? ""
    }
}
