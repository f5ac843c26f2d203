import CallsLoad
import Foundation

/// One slice of a load from `calls-zmq-load` (`Tests/bench`), a C program in a process of its own:
/// what each of its clients measured, as the load clients of this process report it.
enum LoadProcess {
    /// Runs `shape` against `endpoint` for `seconds` (at most `maxRequests` in all) and reads back
    /// every client's round trips.
    /// - Parameters:
    ///   - program: the `calls-zmq-load` executable.
    ///   - requests: a file of request frames, one a line.
    ///   - folder: where the results file goes.
    /// - Throws: ``CallsLoad/BenchError`` when the program fails, overruns or writes no results.
    static func run(
        _ program: String, shape: LoadShape, endpoint: String, requests: String, seconds: Double, maxRequests: Int,
        folder: ScratchDirectory
    ) async throws -> [LoadClient.Outcome] {
        let results = folder.file("load-results")
        let arguments = [
            "--endpoint", endpoint, "--requests", requests, "--clients", "\(shape.clients)", "--in-flight",
            "\(shape.inFlight)", "--seconds", "\(seconds)", "--max-requests", "\(max(maxRequests, shape.clients))",
            "--out", results,
        ]
        // Its own bounds are the seconds, plus 5 s per client of reply timeout, plus the warm-up.
        let run = try await ChildProcess.run(program, arguments, limit: seconds + 30)
        guard run.status == 0 else {
            throw BenchError("calls-zmq-load exited with status \(run.status): \(run.errors)")
        }
        return try outcomes(Data(contentsOf: URL(fileURLWithPath: results)))
    }

    /// Decodes the results file: 64-bit words in this machine's byte order, the client count,
    /// then per client its replies R, refusals, timed out (0 or 1), start, end, and R round trips.
    private static func outcomes(_ data: Data) throws -> [LoadClient.Outcome] {
        let words = data.withUnsafeBytes { raw in
            (0..<raw.count / 8).map { raw.loadUnaligned(fromByteOffset: $0 * 8, as: UInt64.self) }
        }
        var outcomes: [LoadClient.Outcome] = []
        var index = 1
        while outcomes.count < Int(words.first ?? 0) {
            guard index + 5 <= words.count, index + 5 + Int(words[index]) <= words.count else {
                throw BenchError("calls-zmq-load wrote a truncated results file")
            }
            let replies = Int(words[index])
            outcomes.append(
                LoadClient.Outcome(
                    latencies: Array(words[(index + 5)..<(index + 5 + replies)]), refused: Int(words[index + 1]),
                    timedOut: words[index + 2] != 0, start: words[index + 3], end: words[index + 4]))
            index += 5 + replies
        }
        guard !outcomes.isEmpty else { throw BenchError("calls-zmq-load wrote no results") }
        return outcomes
    }
}
