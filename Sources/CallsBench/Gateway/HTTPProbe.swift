import CallsLoad
import Foundation
import Glibc
import ZMQ

/// One HTTP/1.1 GET over a plain loopback socket, on a thread of its own: how the benchmark checks
/// that a server answers as expected and reads the exact reply before it is loaded.
enum HTTPProbe {
    /// A response's status and body.
    struct Reply: Sendable {
        /// The status code.
        var status: Int
        /// The body, `Content-Length` bytes.
        var body: [UInt8]
    }

    /// Sends `GET path` to `127.0.0.1:port` and reads the whole response.
    /// - Parameters:
    ///   - port: the server's port on 127.0.0.1.
    ///   - path: the request target.
    ///   - authorization: the `Authorization` header's value, if any.
    /// - Throws: ``BenchError`` when the server cannot be reached or the reply is not whole within 5 s.
    static func get(port: Int, path: String, authorization: String? = nil) async throws -> Reply {
        var request = "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
        if let authorization { request += "Authorization: \(authorization)\r\n" }
        let bytes = Array((request + "\r\n").utf8)
        return try await SocketLoop.run(name: "bench-http-probe") {
            let socket = try connect(port: port)
            defer { close(socket) }
            guard bytes.withUnsafeBytes({ send(socket, $0.baseAddress, $0.count, 0) }) == bytes.count else {
                throw BenchError("cannot send a request to 127.0.0.1:\(port)")
            }
            return try readReply(from: socket)
        }
    }

    private static func connect(port: Int) throws -> Int32 {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw BenchError("cannot create a socket: errno \(errno)") }
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else {
            close(socket)
            throw BenchError("cannot connect to 127.0.0.1:\(port): errno \(errno)")
        }
        return socket
    }

    /// Reads the head, then `Content-Length` bytes of body.
    private static func readReply(from socket: Int32) throws -> Reply {
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 16_384)
        let separator = Array("\r\n\r\n".utf8)
        var head: (status: Int, length: Int, bodyStart: Int)?
        while head.map({ received.count < $0.bodyStart + $0.length }) ?? true {
            let count = buffer.withUnsafeMutableBytes { recv(socket, $0.baseAddress, $0.count, 0) }
            guard count > 0 else { throw BenchError("the HTTP reply ended early or took over 5 s") }
            received.append(contentsOf: buffer[..<count])
            if head == nil, let end = received.firstRange(of: separator) {
                let lines = String(decoding: received[..<end.lowerBound], as: UTF8.self).split(separator: "\r\n")
                let status = lines.first.flatMap { Int($0.split(separator: " ").dropFirst().first ?? "") }
                let length = lines.first { $0.lowercased().hasPrefix("content-length:") }
                    .flatMap { Int($0.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) }
                guard let status, let length else { throw BenchError("not an HTTP reply with a Content-Length") }
                head = (status, length, end.upperBound)
            }
        }
        guard let head else { throw BenchError("no HTTP reply") }
        return Reply(status: head.status, body: Array(received[head.bodyStart..<head.bodyStart + head.length]))
    }
}
