import Foundation
import Testing
import ZMQ

/// Endpoints for one test: a unique inproc name, an ipc path in a fresh temporary directory,
/// or TCP on an ephemeral loopback port. Never a fixed port.
enum Transport: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case inproc
    case ipc
    case tcp

    /// An endpoint to bind; pass what ``Socket/bind(_:)`` returns to the connecting side.
    func endpoint() -> String {
        switch self {
        case .inproc:
            return "inproc://test-\(UUID().uuidString)"
        case .ipc:
            return "ipc://\(TemporaryDirectory.make())/socket"
        case .tcp:
            return "tcp://127.0.0.1:*"
        }
    }

    var testDescription: String { rawValue }
}

/// Short temporary directories for ipc sockets (Unix socket paths must stay under ~100 bytes).
enum TemporaryDirectory {
    static func make() -> String {
        var template = Array("/tmp/zmqt-XXXXXX".utf8CString)
        let path = template.withUnsafeMutableBufferPointer { buffer in
            mkdtemp(buffer.baseAddress!).map { String(cString: $0) }
        }
        return path!
    }
}
