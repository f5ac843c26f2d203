import CallsBusClient
import CallsBusMessages
import CallsJSON
import Hummingbird

/// `/api/v2/me/calls[/{id}]`: each REST request becomes one bus request, and the reply goes back
/// with the HTTP status its `statusCode` maps to. No call logic lives here.
struct CallsRoutes {
    let forwarder: BusForwarder
    let keepAlive: Duration
    let streams: EventStreamQuota

    func register(on group: RouterGroup<GatewayRequestContext>) {
        group.get("calls") { request, context in
            let selection = FieldSelection(request.uri.queryParameters.get("fields"))
            return try await forwarder.forward(.listCalls, [:], context: context) { reply, _ in
                ReplySplice.calls(of: reply, selection: selection)
            }
        }
        group.get("calls/events") { request, context in
            try await EventStreamResponse(
                bus: forwarder.bus, streams: streams, metrics: forwarder.metrics, keepAliveInterval: keepAlive
            )
            .response(for: request, context: context)
        }
        group.get("calls/{id}") { request, context in
            let selection = FieldSelection(request.uri.queryParameters.get("fields"))
            let id = try BusForwarder.pathIdentifier("id", of: context)
            return try await forwarder.forward(.getCall, ["id": .string(id)], context: context) { reply, _ in
                ReplySplice.call(of: reply, selection: selection)
            }
        }
        group.post("calls/{id}") { request, context in
            // A call id may hold anything the switch reported, so the `{id}` segment is percent-decoded.
            try await operate(callId: try BusForwarder.pathIdentifier("id", of: context), request, context)
        }
        // The stream's constant path shadows `{id}` for a call whose id is `events`; operating it still works.
        group.post("calls/events") { request, context in
            try await operate(callId: "events", request, context)
        }
    }

    private func operate(callId: String, _ request: Request, _ context: GatewayRequestContext) async throws -> Response
    {
        try await forwarder.post(.operateCall, request: request, context: context) { fields in
            fields["id"] = .string(callId)
        }
    }
}
