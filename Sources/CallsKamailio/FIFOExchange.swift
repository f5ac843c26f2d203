import CallsJSON
import Foundation

/// One request and its reply through Kamailio's `jsonrpcs` FIFO: blocking system calls, run on a
/// thread of NIO's pool.
struct FIFOExchange: Sendable {
    let requestFIFO: String
    let replyFIFO: String
    let timeout: Duration

    /// Makes the reply FIFO, sends `request`, and returns the reply once it parses as JSON.
    /// - Throws: ``KamailioError`` naming the failing step.
    func run(_ request: [UInt8]) throws -> [UInt8] {
        guard mkfifo(replyFIFO, 0o660) == 0 else { throw failure("mkfifo \(replyFIFO)") }
        defer { unlink(replyFIFO) }
        // Read and write, so that Kamailio's open for writing finds a reader, and a reader that
        // never sees end-of-file: the reply ends when it parses.
        let reply = open(replyFIFO, O_RDWR | O_NONBLOCK)
        guard reply >= 0 else { throw failure("open \(replyFIFO)") }
        defer { close(reply) }
        let server = open(requestFIFO, O_WRONLY | O_NONBLOCK)
        guard server >= 0 else { throw failure("open \(requestFIFO) (is Kamailio running?)") }
        let written = request.withUnsafeBytes { write(server, $0.baseAddress, $0.count) }
        close(server)
        guard written == request.count else { throw failure("write \(requestFIFO)") }
        let deadline = ContinuousClock.now + timeout
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let left = deadline - ContinuousClock.now
            guard left > .zero else { throw KamailioError(reason: "no reply on \(replyFIFO) within \(timeout)") }
            var descriptor = pollfd(fd: reply, events: Int16(POLLIN), revents: 0)
            let milliseconds = Int32(
                left.components.seconds * 1000 + left.components.attoseconds / 1_000_000_000_000_000)
            guard poll(&descriptor, 1, max(1, milliseconds)) >= 0 || errno == EINTR else { throw failure("poll") }
            let count = chunk.withUnsafeMutableBytes { read(reply, $0.baseAddress, $0.count) }
            if count > 0 {
                bytes += chunk[..<count]
                if (try? JSONValue(parsing: bytes)) != nil { return bytes }
            } else if count < 0, errno != EAGAIN, errno != EINTR {
                throw failure("read \(replyFIFO)")
            }
        }
    }

    private func failure(_ step: String) -> KamailioError {
        KamailioError(reason: "\(step): \(String(cString: strerror(errno)))")
    }
}
