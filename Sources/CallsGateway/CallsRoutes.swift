import Calls
import CallsBusClient
import CallsBusMessages
import CallsJSON
import Foundation
import Hummingbird
import Logging

/// `/api/v2/me/calls[/{id}]`: each REST request becomes one bus request, and the reply goes back
/// with the HTTP status its `statusCode` maps to. No call logic lives here.
struct CallsRoutes {
    let bus: CallsBusClient
    let maxBodySize: Int
    let keepAlive: Duration
    let streams: EventStreamQuota
    let metrics: GatewayMetrics

    func register(on group: RouterGroup<GatewayRequestContext>) {
        group.get("calls") { request, context in
            try await forward(.listCalls, [:], request: request, context: context)
        }
        group.get("calls/events") { request, context in
            try await EventStreamResponse(bus: bus, streams: streams, metrics: metrics, keepAliveInterval: keepAlive)
                .response(for: request, context: context)
        }
        group.get("calls/{id}") { request, context in
            try await forward(.getCall, ["id": .string(try callId(context))], request: request, context: context)
        }
        group.post("calls/{id}") { request, context in
            try await operate(callId: try callId(context), request: request, context: context)
        }
        // The stream's constant path shadows `{id}` for a call whose id is `events`; operating it still works.
        group.post("calls/events") { request, context in
            try await operate(callId: "events", request: request, context: context)
        }
    }

    /// The `{id}` path segment, percent-decoded: a call id may hold anything the switch reported.
    private func callId(_ context: GatewayRequestContext) throws -> String {
        let raw = try context.parameters.require("id")
        return raw.removingPercentEncoding ?? raw
    }

    private func operate(callId id: String, request: Request, context: GatewayRequestContext) async throws -> Response {
        guard Self.isJSON(request.headers[.contentType]) else { return GWSResponse.unsupportedMediaType() }
        var fields: [String: JSONValue]
        do {
            fields = try await operationBody(of: request)
        } catch let error as CallsError {
            return GWSResponse.failure(error)
        }
        // The URL and the authenticated user win over anything the body says.
        fields["op"] = nil
        fields["user"] = nil
        fields["id"] = .string(id)
        return try await forward(.operateCall, fields, request: request, context: context)
    }

    private func forward(
        _ operation: BusOperation,
        _ fields: [String: JSONValue],
        request: Request,
        context: GatewayRequestContext
    ) async throws -> Response {
        guard let principal = context.principal else {
            return GWSResponse.failure(.notAuthenticated("valid HTTP Basic credentials are required"))
        }
        let started = ContinuousClock.now
        let reply: ParsedReply
        do {
            reply = try await bus.send(BusRequest(operation: operation, user: principal.id, fields: fields))
        } catch let error as BusUnavailableError {
            context.logger.warning(
                "bus unavailable", metadata: ["bus.request.kind": "\(operation.rawValue)", "error": "\(error)"])
            return GWSResponse.unavailable(error.reason)
        }
        metrics.recordBusRoundTrip(since: started)
        guard reply.isSuccess else { return GWSResponse.json(reply.frame, statusCode: reply.statusCode) }
        let selection = FieldSelection(request.uri.queryParameters.get("fields"))
        switch operation {
        case .listCalls: return GWSResponse.json(ReplySplice.calls(of: reply, selection: selection), statusCode: 0)
        case .getCall: return GWSResponse.json(ReplySplice.call(of: reply, selection: selection), statusCode: 0)
        default: return GWSResponse.json(reply.frame, statusCode: 0)
        }
    }

    /// `application/json`, with or without parameters (`; charset=utf-8`), in any case.
    static func isJSON(_ contentType: String?) -> Bool {
        guard let contentType else { return false }
        let mediaType = contentType.split(separator: ";", maxSplits: 1).first ?? ""
        return mediaType.trimmingCharacters(in: .whitespaces).lowercased() == "application/json"
    }

    private func operationBody(of request: Request) async throws -> [String: JSONValue] {
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: maxBodySize)
        } catch {
            throw CallsError.invalidParameter("the request body is larger than \(maxBodySize / 1024) KiB")
        }
        guard buffer.readableBytes > 0 else { return [:] }
        let value = buffer.withUnsafeReadableBytes { bytes in try? JSONValue(parsing: Array(bytes)) }
        guard case .object(let fields)? = value else {
            throw CallsError.invalidParameter("the request body must be a JSON object")
        }
        return fields
    }
}
