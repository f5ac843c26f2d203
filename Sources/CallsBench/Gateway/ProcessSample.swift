import CallsLoad
import Foundation
import Glibc

/// A process's CPU time and resident memory at one instant, from `/proc/<pid>/stat` and
/// `/proc/<pid>/statm`.
struct ProcessSample: Sendable {
    /// User plus system CPU time so far, in seconds.
    var cpuSeconds: Double
    /// Resident set size, in bytes.
    var residentBytes: Int
    /// When it was taken, `CLOCK_MONOTONIC` nanoseconds.
    var time: UInt64

    /// Samples process `pid` (`nil`: this process).
    /// - Throws: ``CallsLoad/BenchError`` when `/proc` cannot be read (the process is gone).
    static func take(_ pid: Int32? = nil) throws -> ProcessSample {
        let folder = pid.map { "/proc/\($0)" } ?? "/proc/self"
        guard let stat = try? String(contentsOfFile: "\(folder)/stat", encoding: .utf8),
            let statm = try? String(contentsOfFile: "\(folder)/statm", encoding: .utf8)
        else { throw BenchError("cannot read \(folder)/stat: the process is gone") }
        // The fields after the command's closing parenthesis: state is field 3, utime 14, stime 15.
        let fields = stat[(stat.lastIndex(of: ")").map { stat.index(after: $0) } ?? stat.startIndex)...]
            .split(separator: " ")
        let resident = statm.split(separator: " ").dropFirst().first.flatMap { Int($0) } ?? 0
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else {
            throw BenchError("\(folder)/stat has no CPU times")
        }
        let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
        return ProcessSample(
            cpuSeconds: (user + system) / ticks, residentBytes: resident * Int(sysconf(Int32(_SC_PAGESIZE))),
            time: MonotonicClock.now())
    }

    /// CPU used between `earlier` and this sample, in percent of one core.
    func cpuPercent(since earlier: ProcessSample) -> Double {
        let seconds = MonotonicClock.seconds(from: earlier.time, to: time)
        return seconds > 0 ? (cpuSeconds - earlier.cpuSeconds) / seconds * 100 : 0
    }
}
