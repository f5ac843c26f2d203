import Calls
import CallsJSON
import CallsTesting
import Foundation
import HTTPTypes
import Synchronization
import ZMQ

/// A tiny HTTP/1.1 client of `text/event-stream` over a POSIX socket, for `.live` tests.
///
/// It sends one GET, reads the response head, then decodes the chunked body into SSE frames as the
/// bytes arrive (the router test client would wait for a body that never ends). Every blocking call
/// runs on a thread of its own and is bounded by a timeout.
final class EventStreamClient: Sendable {
    /// One SSE frame: the fields of its lines up to the blank line that ends it.
    struct Frame: Sendable, CustomStringConvertible {
        var id: String?
        var event: String?
        var data: String?
        var comment: String?

        /// `true` for a frame of comment lines only (`: connected`, `: keep-alive`).
        var isComment: Bool { id == nil && event == nil && data == nil }

        /// `data:` decoded as JSON.
        var json: JSONValue? { data.flatMap { try? JSONDecoder().decode(JSONValue.self, from: Data($0.utf8)) } }

        /// The `id` of the call the event's `data:` carries.
        var callId: String? { json?["call"]?["id"]?.stringValue }

        var description: String {
            "id=\(id ?? "-") event=\(event ?? "-") call=\(callId ?? "-") comment=\(comment ?? "-")"
        }
    }

    /// The response's status code.
    let status: Int
    /// The response's header fields, names lowercased.
    let headers: [String: String]
    private let connection: Mutex<EventStreamConnection>

    private init(status: Int, headers: [String: String], connection: consuming EventStreamConnection) {
        self.status = status
        self.headers = headers
        self.connection = Mutex(connection)
    }

    /// Connects to the gateway on `localhost:port`, sends `GET path` as `user` and reads the head.
    /// - Throws: ``CallsTesting/BusTestError`` when it cannot connect or the head does not come in time.
    static func open(
        port: Int,
        user: String,
        lastEventID: String? = nil,
        path: String = "/api/v2/me/calls/events",
        timeout: Duration = .seconds(10)
    ) async throws -> EventStreamClient {
        var request = "GET \(path) HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n"
        request += "Authorization: \(GatewayHarness.basic(user)[.authorization]!)\r\n"
        if let lastEventID { request += "Last-Event-ID: \(lastEventID)\r\n" }
        request += "\r\n"
        let text = request
        return try await SocketLoop.run(name: "sse-client") {
            var connection = try EventStreamConnection(port: port)
            let deadline = ContinuousClock.now + timeout
            try connection.send(Array(text.utf8))
            let (status, headers) = try connection.readHead(deadline: deadline)
            return EventStreamClient(status: status, headers: headers, connection: connection)
        }
    }

    /// The next frame, comments included; `nil` when the body has ended.
    /// - Throws: ``CallsTesting/BusTestError`` when no whole frame comes within `timeout`.
    func next(timeout: Duration = .seconds(10)) async throws -> Frame? {
        try await SocketLoop.run(name: "sse-read") {
            try self.connection.withLock { try $0.nextFrame(deadline: ContinuousClock.now + timeout) }
        }
    }

    /// The next frame that is not a comment; `nil` when the body has ended.
    /// - Throws: ``CallsTesting/BusTestError`` when none comes within `timeout`.
    func nextEvent(timeout: Duration = .seconds(10)) async throws -> Frame? {
        let deadline = ContinuousClock.now + timeout
        while let frame = try await next(timeout: max(.zero, deadline - ContinuousClock.now)) {
            if !frame.isComment { return frame }
        }
        return nil
    }

    /// The next event frame, or `nil` when none comes within `timeout` (or the body has ended).
    func nextEventIfAny(within timeout: Duration) async throws -> Frame? {
        do {
            return try await nextEvent(timeout: timeout)
        } catch is EventStreamConnection.TimedOut {
            return nil
        }
    }

    /// Reads and drops frames until the body ends.
    /// - Returns: `true` when the body ended with chunked encoding's last chunk, `false` when the
    ///   connection merely closed.
    /// - Throws: ``CallsTesting/BusTestError`` when the body has not ended within `timeout`.
    func waitForEnd(timeout: Duration) async throws -> Bool {
        let deadline = ContinuousClock.now + timeout
        while try await next(timeout: max(.zero, deadline - ContinuousClock.now)) != nil {}
        return connection.withLock { $0.sawLastChunk }
    }

    /// The body of a response that is not a stream (a refusal), as text.
    func plainBody(timeout: Duration = .seconds(10)) async throws -> String {
        try await SocketLoop.run(name: "sse-read") {
            let bytes = try self.connection.withLock { try $0.readPlainBody(deadline: ContinuousClock.now + timeout) }
            return String(decoding: bytes, as: UTF8.self)
        }
    }

    /// Resets the connection (`SO_LINGER` 0), as a client that vanished would leave it.
    func abort() {
        connection.withLock { $0.abort() }
    }
}
