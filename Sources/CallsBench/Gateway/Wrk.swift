import CallsLoad
import Foundation
import Glibc
import ZMQ

/// The `wrk` HTTP load generator (Debian package `wrk`), run as a child process through
/// `/usr/bin/env`, which finds it on `PATH`.
enum Wrk {
    private static let env = "/usr/bin/env"

    /// wrk's version (`debian/4.1.0-3+b2`), or `nil` when it is not installed.
    /// - Throws: ``BenchError`` when `/usr/bin/env` itself cannot run.
    static func version() async throws -> String? {
        let (status, output) = try await SocketLoop.run(name: "bench-wrk") {
            try runToEnd(["wrk", "-v"], limit: 10)
        }
        // env exits with 127 when it finds no such program.
        guard status != 127 else { return nil }
        let words = output.split(separator: "\n").first?.split(separator: " ") ?? []
        return words.count > 1 && words[0] == "wrk" ? String(words[1]) : "unknown"
    }

    /// Runs `wrk -t<threads> -c<connections> -d<seconds>s --latency` against `url` and parses its report.
    ///
    /// wrk stops by itself after `seconds` (each request gives up after 2 s); should it not, it is
    /// terminated 15 seconds later.
    /// - Parameters:
    ///   - url: what every request asks for.
    ///   - headers: extra header lines (`Authorization: Basic …`).
    /// - Throws: ``BenchError`` when wrk cannot start, fails, is terminated or prints no report.
    static func run(
        url: String, headers: [String] = [], threads: Int, connections: Int, seconds: Int
    ) async throws -> WrkResult {
        var arguments = ["wrk", "-t\(threads)", "-c\(connections)", "-d\(seconds)s", "--timeout", "2s", "--latency"]
        for header in headers { arguments += ["-H", header] }
        let command = arguments + [url]
        let (status, output) = try await SocketLoop.run(name: "bench-wrk") {
            try runToEnd(command, limit: Double(seconds) + 15)
        }
        guard status == 0 else { throw BenchError("wrk exited with status \(status):\n\(output)") }
        return try WrkResult(output: output)
    }

    /// Runs `env arguments…` on the calling thread until it exits or `limit` seconds pass.
    private static func runToEnd(_ arguments: [String], limit: Double) throws -> (Int32, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: env)
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        do {
            try process.run()
        } catch {
            throw BenchError("cannot start \(env) \(arguments[0]): \(error)")
        }
        let giveUp = MonotonicClock.now() + MonotonicClock.nanoseconds(limit)
        // wrk prints a few hundred bytes, far below a pipe's buffer: reading after the exit is safe.
        while process.isRunning && MonotonicClock.now() < giveUp { usleep(20_000) }
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
            throw BenchError("\(arguments[0]) did not stop within \(Int(limit)) s and was terminated")
        }
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        return (process.terminationStatus, text)
    }
}
