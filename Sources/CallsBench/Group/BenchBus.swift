import CallsBusService
import CallsLoad
import Foundation
import Glibc

/// One release `calls-bus` program of the group benchmarks, on ports chosen before it starts (a
/// standby binds only once it takes over, so clients connect to both buses of a group in
/// advance). It can be killed, paused and started again on the same ports and store.
final class BenchBus {
    /// The line of a bus that took the lease and bound its sockets.
    static let activeLine = "bus active: lease taken"
    /// The line of a bus that waits for the lease.
    static let standbyLine = "bus standing by"
    /// The line of a bus alone on its SQLite file, once bound.
    static let startedLine = "bus started"

    /// Its request and events endpoints.
    let endpoints: BusEndpoints
    private let program: String
    private let arguments: [String]
    private var process: ChildProcess?

    /// Prepares a bus on `store` (`--state FILE` or `--database-url URL`, with any further options).
    /// - Throws: ``CallsLoad/BenchError`` when no loopback port is free.
    init(program: String, directoryFile: String, store: [String]) throws {
        let (requestPort, eventsPort) = (try LoopbackPort.free(), try LoopbackPort.free())
        endpoints = BusEndpoints(request: "tcp://127.0.0.1:\(requestPort)", events: "tcp://127.0.0.1:\(eventsPort)")
        self.program = program
        arguments =
            ["--directory", directoryFile, "--request-endpoint", endpoints.request]
            + ["--events-endpoint", endpoints.events, "--log-level", "info"] + store
    }

    /// The running process's id; 0 when not running.
    var processIdentifier: Int32 { process?.processIdentifier ?? 0 }

    /// Starts the program and waits until it logs `line` (within `limit` seconds).
    /// - Throws: ``CallsLoad/BenchError`` when it cannot start, exits, or never logs the line.
    func start(waitingFor line: String, limit: Double = 60) async throws {
        let process = try ChildProcess(program, arguments)
        self.process = process
        _ = try await process.waitFor("“\(line)”", limit: limit) { _, errors in errors.contains(line) ? true : nil }
    }

    /// Waits until the running program logs `line`.
    func waitFor(_ line: String, limit: Double) async throws {
        guard let process else { throw BenchError("the bus is not running") }
        _ = try await process.waitFor("“\(line)”", limit: limit) { _, errors in errors.contains(line) ? true : nil }
    }

    /// The end of what the running program logged, for an error message.
    var recentLog: String { String(process?.errors.suffix(1_500) ?? "") }

    /// Whether the running program has logged `line`.
    func hasLogged(_ line: String) -> Bool { process?.errors.contains(line) ?? false }

    /// Kills the program (SIGKILL: no goodbye to the database) and reaps it.
    func kill() async throws {
        guard let process else { return }
        _ = try await process.stop(grace: 0)
        self.process = nil
    }

    /// Stops the program (SIGCONT first, should it be paused, then SIGTERM).
    func stop() async throws {
        guard let process else { return }
        Glibc.kill(process.processIdentifier, SIGCONT)
        _ = try await process.stop()
        self.process = nil
    }
}

@available(*, unavailable, message: "a bus belongs to the scenario that started it")
extension BenchBus: Sendable {}
