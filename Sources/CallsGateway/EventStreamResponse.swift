import Calls
import CallsBusClient
import CallsBusMessages
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import ServiceLifecycle

/// `GET /api/v2/me/calls/events`: Server-Sent Events of the calls the user may see.
///
/// `id:` is the event's `seq`, so a client that reconnects with `Last-Event-ID` (or, from a new
/// `EventSource`, `?lastEventId=`) gets what it
/// missed; when that is older than the bus's history, the stream starts with `event: Resync`
/// carrying a fresh `calls.list` reply.
///
/// A stream ends when the server shuts down gracefully (the HTTP server waits for open responses,
/// so an endless one would hold it up forever), and a `: keep-alive` comment every
/// ``keepAliveInterval`` lets a write find a client that has gone while no event flows.
///
/// A stream holds a slot of ``streams`` from before it subscribes until its response is done:
/// one beyond the user's cap is answered 429, one beyond the cap in all 503.
struct EventStreamResponse {
    let bus: CallsBusClient
    let streams: EventStreamQuota
    let metrics: GatewayMetrics
    /// How often a stream sends a `: keep-alive` comment, whether events flow or not.
    let keepAliveInterval: Duration

    /// What the writer sends next.
    private enum Output: Sendable {
        case item(BusStreamItem)
        case keepAlive
    }

    func response(for request: Request, context: GatewayRequestContext) async throws -> Response {
        guard let principal = context.principal else {
            return GWSResponse.failure(.notAuthenticated("valid HTTP Basic credentials are required"))
        }
        let slot: EventStreamQuota.Slot
        switch streams.take(for: principal.id) {
        case .success(let taken):
            slot = taken
        case .failure(let refusal):
            metrics.streamRefused(reason: refusal == .user ? "user" : "total")
            context.logger.info(
                "event stream refused: too many open",
                metadata: [
                    "stream.limit": "\(refusal == .user ? "user" : "total")",
                    "stream.open": "\(refusal == .user ? streams.open(for: principal.id) : streams.total)",
                ])
            return refusal == .user
                ? GWSResponse.tooManyStreams(limit: streams.maxPerUser)
                : GWSResponse.streamsSaturated(limit: streams.maxTotal)
        }
        // The header as EventSource sends it when it reconnects by itself; the `lastEventId` query
        // parameter for a page that had to open a new EventSource (which cannot set headers).
        let lastEventID =
            (request.headers[HTTPField.Name("Last-Event-ID")!]
            ?? request.uri.queryParameters.get("lastEventId")).flatMap { UInt64($0) }
        // The topic prefix is the bus's own per-owner filter: an agent's stream carries only the
        // agent's calls, and the bus checks each replay against the same user.
        let prefix = principal.seesEveryCall ? EventTopic.allCalls : EventTopic.prefix(ownerId: principal.id)
        // Subscribe and take the starting snapshot before answering 200: an event published once
        // the client has the response must come out of the stream.
        let events: BusEventStream
        do {
            events = try await bus.events(for: principal.id, prefix: prefix, after: lastEventID)
        } catch let error as BusUnavailableError {
            return GWSResponse.unavailable(error.reason)
        } catch let error as CallsError {
            return GWSResponse.failure(error)
        }
        let (metrics, interval) = (metrics, keepAliveInterval)
        let logger = context.logger
        return Response(
            status: .ok,
            headers: [.contentType: "text/event-stream", .cacheControl: "no-cache"],
            body: ResponseBody { writer in
                // The slot goes back when this closure, and so the response, is released.
                withExtendedLifetime(slot) {}
                metrics.streamOpened()
                defer { metrics.streamClosed() }
                try await writer.write(ByteBuffer(string: ": connected\n\n"))
                do {
                    try await Self.forward(events, keepAlive: interval) {
                        try await writer.write(ByteBuffer(bytes: $0))
                    }
                } catch let error as BusUnavailableError {
                    logger.warning("event stream ended: bus unavailable", metadata: ["error": "\(error)"])
                }
                try await writer.finish(nil)
            }
        )
    }

    /// Writes each event's frame, and a comment after every `interval`, until the events end, a
    /// write fails or graceful shutdown begins.
    ///
    /// One child task reads the events, another ticks; only this task writes. The reader waits
    /// until its event is written before it reads the next, so a client that reads slowly holds
    /// back the subscription (which drops and later replays what overflows) instead of queueing
    /// frames here.
    private static func forward(
        _ events: BusEventStream,
        keepAlive interval: Duration,
        write: (Data) async throws -> Void
    ) async throws {
        let (outputs, output) = AsyncThrowingStream.makeStream(of: Output.self)
        let (written, acknowledge) = AsyncStream.makeStream(of: Void.self)
        try await withThrowingTaskGroup(of: Void.self) { group in
            defer {
                acknowledge.finish()
                group.cancelAll()
            }
            group.addTask {
                var acknowledgements = written.makeAsyncIterator()
                do {
                    for try await item in events {
                        output.yield(.item(item))
                        guard await acknowledgements.next() != nil else { break }
                    }
                    output.finish()
                } catch {
                    output.finish(throwing: error)
                }
            }
            group.addTask {
                while (try? await Task.sleep(for: interval)) != nil {
                    output.yield(.keepAlive)
                }
            }
            try await withGracefulShutdownHandler {
                for try await next in outputs {
                    switch next {
                    case .item(let item):
                        try await write(frame(for: item))
                        acknowledge.yield()
                    case .keepAlive:
                        try await write(Data(": keep-alive\n\n".utf8))
                    }
                }
            } onGracefulShutdown: {
                output.finish()
            }
        }
    }

    /// One SSE frame.
    static func frame(for item: BusStreamItem) -> Data {
        var frame = Data()
        switch item {
        case .event(let event):
            frame.append(contentsOf: Array("id: \(event.seq)\nevent: \(event.notificationType)\ndata: ".utf8))
            frame.append(event.body)
        case .resync(let listReply):
            frame.append(contentsOf: Array((listReply.seq.map { "id: \($0)\n" } ?? "").utf8))
            frame.append(contentsOf: Array("event: Resync\ndata: ".utf8))
            frame.append(listReply.frame)
        case .gap(let afterSeq, _):
            // The missed events follow from the bus's history; a comment tells a curious reader.
            frame.append(contentsOf: Array(": events after \(afterSeq) follow from the history".utf8))
        }
        frame.append(contentsOf: Array("\n\n".utf8))
        return frame
    }
}
