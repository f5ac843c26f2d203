import CallsLoad

/// The `wrk` HTTP load generator (Debian package `wrk`), run as a child process through
/// `/usr/bin/env`, which finds it on `PATH`.
enum Wrk {
    private static let env = "/usr/bin/env"

    /// wrk's version (`debian/4.1.0-3+b2`), or `nil` when it is not installed.
    /// - Throws: ``CallsLoad/BenchError`` when `/usr/bin/env` itself cannot run.
    static func version() async throws -> String? {
        let run = try await ChildProcess.run(env, ["wrk", "-v"], limit: 10)
        // env exits with 127 when it finds no such program.
        guard run.status != 127 else { return nil }
        let words = (run.output + run.errors).split(separator: "\n").first?.split(separator: " ") ?? []
        return words.count > 1 && words[0] == "wrk" ? String(words[1]) : "unknown"
    }

    /// Runs `wrk -t<threads> -c<connections> -d<seconds>s --latency` against `url` and parses its report.
    ///
    /// wrk stops by itself after `seconds` (each request gives up after 2 s); should it not, it is
    /// terminated 15 seconds later.
    /// - Parameters:
    ///   - url: what every request asks for.
    ///   - headers: extra header lines (`Authorization: Basic …`).
    /// - Throws: ``CallsLoad/BenchError`` when wrk cannot start, fails, is terminated or prints no report.
    static func run(
        url: String, headers: [String] = [], threads: Int, connections: Int, seconds: Int
    ) async throws -> WrkResult {
        var arguments = ["wrk", "-t\(threads)", "-c\(connections)", "-d\(seconds)s", "--timeout", "2s", "--latency"]
        for header in headers { arguments += ["-H", header] }
        let run = try await ChildProcess.run(env, arguments + [url], limit: Double(seconds) + 15)
        guard run.status == 0 else {
            throw BenchError("wrk exited with status \(run.status):\n\(run.output)\(run.errors)")
        }
        return try WrkResult(output: run.output)
    }
}
