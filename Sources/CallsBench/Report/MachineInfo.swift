import Foundation
import Glibc
import ZMQ

/// The machine and build a report was measured on: figures mean little without them.
struct MachineInfo: Sendable, Encodable {
    /// Online processors, as `nproc` counts them.
    var processors: Int
    /// The CPU's `model name` from `/proc/cpuinfo`.
    var cpuModel: String
    /// The kernel release.
    var kernel: String
    /// When the run started, ISO 8601 in UTC.
    var date: String
    /// `release` or `debug`: the Swift build configuration of this binary.
    var buildConfiguration: String
    /// The Swift compiler's language version range this binary was built with.
    var swiftCompiler: String
    /// libzmq's version.
    var libzmq: String
    /// The 1, 5 and 15-minute load averages when the run started: other work on the machine.
    var loadAverage: String

    /// Reads the current machine.
    static func current() -> MachineInfo {
        let cpuinfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        let model = cpuinfo.split(separator: "\n").first { $0.hasPrefix("model name") }
            .flatMap { $0.split(separator: ":", maxSplits: 1).last }
            .map { $0.trimmingCharacters(in: .whitespaces) }
        let kernel = (try? String(contentsOfFile: "/proc/sys/kernel/osrelease", encoding: .utf8)) ?? "unknown"
        let zmq = Context.libraryVersion
        return MachineInfo(
            processors: Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))),
            cpuModel: model ?? "unknown",
            kernel: kernel.trimmingCharacters(in: .whitespacesAndNewlines),
            date: ISO8601DateFormatter().string(from: Date()),
            buildConfiguration: buildConfiguration,
            swiftCompiler: swiftCompiler,
            libzmq: "\(zmq.major).\(zmq.minor).\(zmq.patch)",
            loadAverage: loadAverage()
        )
    }

    /// The 1, 5 and 15-minute load averages from `/proc/loadavg` (`0.52 0.31 0.12`).
    static func loadAverage() -> String {
        let text = (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)) ?? ""
        return text.split(separator: " ").prefix(3).joined(separator: " ")
    }

    private static var buildConfiguration: String {
        #if DEBUG
            "debug"
        #else
            "release"
        #endif
    }

    private static var swiftCompiler: String {
        #if compiler(>=6.4)
            "6.4 or later"
        #elseif compiler(>=6.3)
            "6.3"
        #elseif compiler(>=6.2)
            "6.2"
        #else
            "before 6.2"
        #endif
    }
}
