import CallsTesting
import Foundation
import Glibc

/// The socket of an ``EventStreamClient``, the bytes read and not yet decoded, and the decoded
/// body not yet split into SSE frames. Chunked transfer encoding is undone as bytes arrive.
struct EventStreamConnection: ~Copyable {
    /// No whole frame within the timeout; distinct from other failures so callers can poll.
    struct TimedOut: Error, CustomStringConvertible {
        var description: String { "no SSE frame within the timeout" }
    }

    private enum ChunkState {
        case size
        case data(remaining: Int)
        case dataEnd
        case trailers
        case done
    }

    private var socket: Int32
    private var raw: [UInt8] = []
    private var body: [UInt8] = []
    private var chunkState = ChunkState.size
    private var isClosed = false
    private var isChunked = true
    private(set) var sawLastChunk = false

    init(port: Int) throws {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo("localhost", String(port), &hints, &list) == 0, let first = list else {
            throw BusTestError("cannot resolve localhost")
        }
        defer { freeaddrinfo(list) }
        var candidate: UnsafeMutablePointer<addrinfo>? = first
        while let address = candidate {
            let fd = Glibc.socket(address.pointee.ai_family, address.pointee.ai_socktype, 0)
            if fd >= 0, Glibc.connect(fd, address.pointee.ai_addr, address.pointee.ai_addrlen) == 0 {
                socket = fd
                return
            }
            if fd >= 0 { Glibc.close(fd) }
            candidate = address.pointee.ai_next
        }
        throw BusTestError("cannot connect to localhost:\(port): errno \(errno)")
    }

    deinit {
        if socket >= 0 { Glibc.close(socket) }
    }

    mutating func send(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes { Glibc.send(socket, $0.baseAddress, $0.count, 0) }
            guard sent > 0 else { throw BusTestError("send failed: errno \(errno)") }
            offset += sent
        }
    }

    /// Reads up to the blank line; the rest stays in `raw` for the body.
    mutating func readHead(deadline: ContinuousClock.Instant) throws -> (Int, [String: String]) {
        let separator = Array("\r\n\r\n".utf8)
        while true {
            if let end = raw.firstRange(of: separator) {
                let text = String(decoding: raw[..<end.lowerBound], as: UTF8.self)
                raw.removeSubrange(..<end.upperBound)
                var lines = text.components(separatedBy: "\r\n")
                let statusLine = lines.removeFirst().split(separator: " ")
                guard statusLine.count >= 2, let status = Int(statusLine[1]) else {
                    throw BusTestError("not an HTTP status line: \(text)")
                }
                var headers: [String: String] = [:]
                for line in lines {
                    guard let colon = line.firstIndex(of: ":") else { continue }
                    headers[line[..<colon].lowercased()] = line[line.index(after: colon)...]
                        .trimmingCharacters(in: .whitespaces)
                }
                if headers["transfer-encoding"]?.contains("chunked") != true {
                    // Not a stream: a plain body of `content-length` bytes, read to the end.
                    isChunked = false
                    chunkState = .data(remaining: Int(headers["content-length"] ?? "") ?? Int.max)
                }
                return (status, headers)
            }
            guard try fill(deadline: deadline) else { throw BusTestError("the connection closed in the head") }
        }
    }

    mutating func nextFrame(deadline: ContinuousClock.Instant) throws -> EventStreamClient.Frame? {
        while true {
            decodeChunks()
            if let frame = takeFrame() { return frame }
            if isClosed { return nil }
            if case .done = chunkState { return nil }
            if try !fill(deadline: deadline) { isClosed = true }
        }
    }

    /// The whole body of a response that is not a stream (`content-length` bytes).
    mutating func readPlainBody(deadline: ContinuousClock.Instant) throws -> [UInt8] {
        while true {
            decodeChunks()
            if case .done = chunkState { return body }
            guard try fill(deadline: deadline) else { return body }
        }
    }

    /// Reads and drops whatever comes until the peer closes the connection.
    /// - Throws: ``TimedOut`` when it is still open at `deadline`.
    mutating func waitForClose(deadline: ContinuousClock.Instant) throws {
        while try fill(deadline: deadline) { raw.removeAll() }
    }

    mutating func abort() {
        guard socket >= 0 else { return }
        var option = linger(l_onoff: 1, l_linger: 0)
        setsockopt(socket, SOL_SOCKET, SO_LINGER, &option, socklen_t(MemoryLayout<linger>.size))
        Glibc.close(socket)
        socket = -1
        isClosed = true
    }

    /// Reads what the socket has; `false` at the end of the stream.
    private mutating func fill(deadline: ContinuousClock.Instant) throws -> Bool {
        guard socket >= 0 else { return false }
        let remaining = max(.zero, deadline - ContinuousClock.now)
        var descriptor = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
        let (seconds, attoseconds) = remaining.components
        let milliseconds = Int32(clamping: seconds * 1000 + attoseconds / 1_000_000_000_000_000)
        let ready = poll(&descriptor, 1, milliseconds)
        guard ready > 0 else {
            if ready < 0 && errno == EINTR { return true }
            throw TimedOut()
        }
        var buffer = [UInt8](repeating: 0, count: 65_536)
        let count = buffer.withUnsafeMutableBytes { recv(socket, $0.baseAddress, $0.count, 0) }
        if count < 0 && errno == ECONNRESET { return false }
        guard count >= 0 else { throw BusTestError("recv failed: errno \(errno)") }
        raw.append(contentsOf: buffer[..<count])
        return count > 0
    }

    /// Moves chunk payloads from `raw` to `body`, as far as whole pieces allow.
    private mutating func decodeChunks() {
        let lineEnd = Array("\r\n".utf8)
        while true {
            switch chunkState {
            case .size:
                guard let end = raw.firstRange(of: lineEnd) else { return }
                let line = String(decoding: raw[..<end.lowerBound], as: UTF8.self)
                raw.removeSubrange(..<end.upperBound)
                let size = Int(line.split(separator: ";").first ?? "", radix: 16) ?? 0
                chunkState = size == 0 ? .trailers : .data(remaining: size)
            case .data(let remaining):
                guard !raw.isEmpty else { return }
                let taken = min(remaining, raw.count)
                body.append(contentsOf: raw[..<taken])
                raw.removeFirst(taken)
                if taken < remaining {
                    chunkState = .data(remaining: remaining - taken)
                } else {
                    chunkState = isChunked ? .dataEnd : .done
                }
            case .dataEnd:
                guard raw.count >= 2 else { return }
                raw.removeFirst(2)
                chunkState = .size
            case .trailers:
                guard let end = raw.firstRange(of: lineEnd) else { return }
                let isBlank = end.lowerBound == raw.startIndex
                raw.removeSubrange(..<end.upperBound)
                if isBlank {
                    chunkState = .done
                    sawLastChunk = true
                }
            case .done:
                return
            }
        }
    }

    /// The first whole frame of `body`, removed from it.
    private mutating func takeFrame() -> EventStreamClient.Frame? {
        let separator = Array("\n\n".utf8)
        guard let end = body.firstRange(of: separator) else { return nil }
        let text = String(decoding: body[..<end.lowerBound], as: UTF8.self)
        body.removeSubrange(..<end.upperBound)
        var frame = EventStreamClient.Frame()
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let (name, value) = Self.field(of: line)
            switch name {
            case "": frame.comment = [frame.comment, value].compactMap { $0 }.joined(separator: "\n")
            case "id": frame.id = value
            case "event": frame.event = value
            case "data": frame.data = [frame.data, value].compactMap { $0 }.joined(separator: "\n")
            default: break
            }
        }
        return frame
    }

    /// A line's field name and value, one leading space of the value removed (the SSE rule).
    private static func field(of line: Substring) -> (String, String) {
        guard let colon = line.firstIndex(of: ":") else { return (String(line), "") }
        var value = line[line.index(after: colon)...]
        if value.first == " " { value = value.dropFirst() }
        return (String(line[..<colon]), String(value))
    }
}
