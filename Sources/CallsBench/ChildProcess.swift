import CallsLoad
import Foundation
import Glibc

/// A program run as a child process, its stdout and stderr going to files of its own (a pipe that
/// nobody reads would fill up and block it). Owned by one scenario; killed if still running when
/// released, so that no child outlives the benchmark.
final class ChildProcess {
    private let process = Process()
    private let folder: ScratchDirectory
    private let name: String

    /// Starts `executable` with `arguments`.
    /// - Throws: ``CallsLoad/BenchError`` when it cannot start.
    init(_ executable: String, _ arguments: [String]) throws {
        name = URL(fileURLWithPath: executable).lastPathComponent
        folder = try ScratchDirectory()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        do {
            for file in ["out", "err"] { _ = FileManager.default.createFile(atPath: folder.file(file), contents: nil) }
            process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: folder.file("out")))
            process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: folder.file("err")))
            try process.run()
        } catch {
            folder.remove()
            throw BenchError("cannot start \(executable): \(error)")
        }
    }

    deinit {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        folder.remove()
    }

    /// Runs `executable` to its end, terminating it after `limit` seconds.
    /// - Returns: its exit status, stdout and stderr.
    /// - Throws: ``CallsLoad/BenchError`` when it cannot start or had to be terminated.
    static func run(_ executable: String, _ arguments: [String], limit: Double) async throws
        -> (status: Int32, output: String, errors: String)
    {
        let child = try ChildProcess(executable, arguments)
        let status = try await child.waitForExit(limit: limit)
        return (status, child.output, child.errors)
    }

    /// The process id, for reading `/proc/<pid>`.
    var processIdentifier: Int32 { process.processIdentifier }

    /// Everything written to stdout so far.
    var output: String { read("out") }

    /// Everything written to stderr so far.
    var errors: String { read("err") }

    /// Waits until `found` returns a value for what the process wrote so far (stdout, stderr).
    /// - Throws: ``CallsLoad/BenchError`` when the process exits first or `limit` seconds pass.
    func waitFor<Value>(_ what: String, limit: Double, _ found: (_ output: String, _ errors: String) -> Value?)
        async throws -> Value
    {
        let giveUp = MonotonicClock.now() + MonotonicClock.nanoseconds(limit)
        while true {
            if let value = found(output, errors) { return value }
            guard process.isRunning, MonotonicClock.now() < giveUp else {
                throw BenchError(
                    "\(name) never showed \(what) within \(Int(limit)) s; stderr:\n\(errors.suffix(2_000))")
            }
            try await Task.sleep(for: .milliseconds(10))
        }
    }

    /// Waits for the process to exit by itself, terminating it after `limit` seconds.
    /// - Returns: its exit status.
    /// - Throws: ``CallsLoad/BenchError`` when it had to be terminated.
    func waitForExit(limit: Double) async throws -> Int32 {
        let giveUp = MonotonicClock.now() + MonotonicClock.nanoseconds(limit)
        while process.isRunning && MonotonicClock.now() < giveUp { try await Task.sleep(for: .milliseconds(5)) }
        guard !process.isRunning else {
            _ = try await stop()
            throw BenchError("\(name) did not stop within \(Int(limit)) s and was terminated")
        }
        return process.terminationStatus
    }

    /// Asks the process to stop (SIGTERM) and waits; kills it (SIGKILL) after `grace` seconds.
    /// - Returns: its exit status; a process ended by a signal reports the signal's number.
    func stop(grace: Double = 10) async throws -> Int32 {
        if process.isRunning { process.terminate() }
        let giveUp = MonotonicClock.now() + MonotonicClock.nanoseconds(grace)
        while process.isRunning && MonotonicClock.now() < giveUp { try await Task.sleep(for: .milliseconds(5)) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        return process.terminationStatus
    }

    private func read(_ file: String) -> String {
        (try? String(contentsOfFile: folder.file(file), encoding: .utf8)) ?? ""
    }
}

@available(*, unavailable, message: "a child process belongs to the scenario that started it")
extension ChildProcess: Sendable {}
