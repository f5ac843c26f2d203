import Foundation

/// A fresh directory under `/tmp` with a short path, for ipc sockets (Unix socket paths must
/// stay under ~100 bytes) and state files.
public struct TemporaryDirectory: Sendable {
    /// The directory's path.
    public let path: String

    /// Creates the directory.
    public init() {
        var template = Array("/tmp/calls-XXXXXX".utf8CString)
        let created = template.withUnsafeMutableBufferPointer { buffer in
            mkdtemp(buffer.baseAddress!).map { String(cString: $0) }
        }
        // mkdtemp only fails when /tmp is unusable, where no test could run anyway.
        path = created!
    }

    /// An `ipc://` endpoint named `name` inside the directory.
    public func ipcEndpoint(_ name: String) -> String { "ipc://\(path)/\(name)" }

    /// The path of `name` inside the directory.
    public func file(_ name: String) -> String { "\(path)/\(name)" }

    /// Deletes the directory and everything in it.
    public func remove() { try? FileManager.default.removeItem(atPath: path) }
}
