import CallsLoad
import Foundation

/// A fresh directory under `/tmp` for a state file, deleted at the end of its scenario.
struct ScratchDirectory: Sendable {
    /// The directory's path.
    let path: String

    /// Creates the directory.
    /// - Throws: ``BenchError`` when `/tmp` is unusable.
    init() throws {
        var template = Array("/tmp/calls-bench-XXXXXX".utf8CString)
        let created = template.withUnsafeMutableBufferPointer { buffer in
            mkdtemp(buffer.baseAddress!).map { String(cString: $0) }
        }
        guard let created else { throw BenchError("cannot create a temporary directory under /tmp") }
        path = created
    }

    /// The path of `name` inside the directory.
    func file(_ name: String) -> String { "\(path)/\(name)" }

    /// Deletes the directory and everything in it.
    func remove() { try? FileManager.default.removeItem(atPath: path) }
}
