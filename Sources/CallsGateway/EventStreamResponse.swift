import Calls
import CallsBusClient
import CallsBusMessages
import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// `GET /api/v2/me/calls/events`: Server-Sent Events of the calls the user may see.
///
/// `id:` is the event's `seq`, so a client that reconnects with `Last-Event-ID` gets what it
/// missed; when that is older than the bus's history, the stream starts with `event: Resync`
/// carrying a fresh `calls.list` reply.
struct EventStreamResponse {
    let bus: CallsBusClient
    let metrics: GatewayMetrics

    func response(for request: Request, context: GatewayRequestContext) -> Response {
        guard let principal = context.principal else {
            return GWSResponse.failure(.notAuthenticated("valid HTTP Basic credentials are required"))
        }
        let lastEventID = request.headers[HTTPField.Name("Last-Event-ID")!].flatMap { UInt64($0) }
        // The topic prefix is the bus's own per-owner filter: an agent's stream carries only the
        // agent's calls, and the bus checks each replay against the same user.
        let prefix = principal.seesEveryCall ? EventTopic.allCalls : EventTopic.prefix(ownerId: principal.id)
        let events = bus.events(for: principal.id, prefix: prefix, after: lastEventID)
        let metrics = metrics
        let logger = context.logger
        return Response(
            status: .ok,
            headers: [.contentType: "text/event-stream", .cacheControl: "no-cache"],
            body: ResponseBody { writer in
                metrics.streamOpened()
                defer { metrics.streamClosed() }
                try await writer.write(ByteBuffer(string: ": connected\n\n"))
                do {
                    for try await item in events {
                        try await writer.write(ByteBuffer(bytes: Self.frame(for: item)))
                    }
                } catch let error as BusUnavailableError {
                    logger.warning("event stream ended: bus unavailable", metadata: ["error": "\(error)"])
                }
                try await writer.finish(nil)
            }
        )
    }

    /// One SSE frame.
    static func frame(for item: BusStreamItem) -> Data {
        var frame = Data()
        switch item {
        case .event(let event):
            frame.append(contentsOf: Array("id: \(event.seq)\nevent: \(event.notificationType)\ndata: ".utf8))
            frame.append(event.body)
        case .resync(let listReply):
            let seq = (try? JSONDecoder().decode(CallsListReply.self, from: listReply))?.seq
            frame.append(contentsOf: Array((seq.map { "id: \($0)\n" } ?? "").utf8))
            frame.append(contentsOf: Array("event: Resync\ndata: ".utf8))
            frame.append(listReply)
        }
        frame.append(contentsOf: Array("\n\n".utf8))
        return frame
    }
}
