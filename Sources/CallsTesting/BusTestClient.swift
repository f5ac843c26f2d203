import Calls
public import CallsBusMessages
public import CallsJSON
import Foundation
public import ZMQ

/// A request client for tests: a DEALER that sends the REQ-style empty delimiter, so it can also
/// send what a REQ socket cannot (several frames, none). Owned by the thread that made it.
public final class BusTestClient {
    private let socket: Socket
    /// How long a reply may take before the request counts as lost.
    public var timeout: Duration = .seconds(10)

    /// Connects to the bus's request endpoint.
    public init(context: Context, endpoint: String) throws {
        socket = try Socket.dealer(in: context, connectingTo: endpoint)
    }

    /// Sends one request object and returns the decoded reply.
    public func request(_ request: JSONValue) throws -> JSONValue {
        try send(frames: [Array(encode(request).utf8)])
    }

    /// Sends `request` as `user` and returns the decoded reply.
    public func request(_ operation: BusOperation, user: String?, _ fields: [String: JSONValue] = [:]) throws
        -> JSONValue
    {
        var object = fields
        object["op"] = .string(operation.rawValue)
        if let user { object["user"] = .string(user) }
        return try request(.object(object))
    }

    /// Sends arbitrary body frames after the delimiter and returns the decoded reply.
    /// - Throws: ``BusTestError`` when no reply comes within ``timeout`` or it is not JSON.
    public func send(frames: [[UInt8]]) throws -> JSONValue {
        try socket.send(multipart: [[]] + frames)
        guard let reply = try socket.receiveMultipart(timeout: timeout) else {
            throw BusTestError("no reply within \(timeout)")
        }
        guard reply.count == 2, reply[0].count == 0 else {
            throw BusTestError("a reply must be the delimiter and one frame, got \(reply.count) frames")
        }
        do {
            return try JSONDecoder().decode(JSONValue.self, from: reply[1].data)
        } catch {
            throw BusTestError("the reply is not JSON: \(reply[1].string)")
        }
    }

    private func encode(_ value: JSONValue) throws -> String {
        String(decoding: try JSONEncoder().encode(value), as: UTF8.self)
    }
}

@available(*, unavailable)
extension BusTestClient: Sendable {}

/// A test helper's failure, with a sentence saying what did not happen.
public struct BusTestError: Error, CustomStringConvertible {
    /// What went wrong.
    public var description: String

    /// Creates an error.
    public init(_ description: String) { self.description = description }
}
