import Foundation

/// A ZeroMQ endpoint such as `tcp://127.0.0.1:5555`, `ipc:///run/calls/req` or `inproc://bus`.
///
/// Sockets take endpoints as plain strings; this type answers questions about one, such as
/// whether it stays on this machine (the bus refuses to listen elsewhere without CURVE).
public struct Endpoint: Sendable, Hashable, CustomStringConvertible, ExpressibleByStringLiteral {
    /// The endpoint as libzmq reads it.
    public let description: String

    /// Wraps an endpoint string; it is checked only when a socket binds or connects it.
    public init(_ string: String) { description = string }

    public init(stringLiteral value: String) { self.init(value) }

    /// A TCP endpoint; `port` `nil` asks for an ephemeral port when binding.
    public static func tcp(host: String = "127.0.0.1", port: Int?) -> Endpoint {
        Endpoint("tcp://\(host):\(port.map(String.init) ?? "*")")
    }

    /// An IPC endpoint at a file-system path (keep it under ~100 bytes).
    public static func ipc(path: String) -> Endpoint { Endpoint("ipc://\(path)") }

    /// An in-process endpoint, reachable only from sockets of the same context.
    public static func inproc(name: String) -> Endpoint { Endpoint("inproc://\(name)") }

    /// The transport before `://` (`tcp`, `ipc`, `inproc`), or `nil` when there is none.
    public var transport: String? {
        guard let range = description.range(of: "://") else { return nil }
        return String(description[..<range.lowerBound])
    }

    /// The part after `://`.
    public var address: String {
        guard let range = description.range(of: "://") else { return description }
        return String(description[range.upperBound...])
    }

    /// The host of a TCP endpoint (brackets of IPv6 removed), or `nil` for other transports.
    public var host: String? {
        guard transport == "tcp" else { return nil }
        var hostAndPort = address
        if let semicolon = hostAndPort.firstIndex(of: ";") {
            hostAndPort = String(hostAndPort[hostAndPort.index(after: semicolon)...])
        }
        guard let colon = hostAndPort.lastIndex(of: ":") else { return hostAndPort }
        let host = hostAndPort[..<colon]
        if host.hasPrefix("["), host.hasSuffix("]") { return String(host.dropFirst().dropLast()) }
        return String(host)
    }

    /// `true` when nothing beyond this machine can reach the endpoint: `inproc`, `ipc`, or TCP
    /// on `127.0.0.0/8`, `localhost` or `::1`.
    public var isLoopback: Bool {
        switch transport {
        case "inproc", "ipc":
            return true
        case "tcp":
            guard let host else { return false }
            return host == "localhost" || host == "::1" || host.hasPrefix("127.")
        default:
            return false
        }
    }
}
