import Foundation

/// Writes whole lines straight to the standard streams.
///
/// `print` goes through a stdio buffer that is only flushed at exit when stdout is a pipe or a
/// file; a watcher's events must appear as they arrive, so each line is one `write(2)`.
enum Output {
    /// Writes `line` and a newline to stdout.
    static func line(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }

    /// Writes `line` and a newline to stderr.
    static func error(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    /// Writes `text` to stderr as it is (progress lines redraw themselves with `\r`).
    static func rawError(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}
