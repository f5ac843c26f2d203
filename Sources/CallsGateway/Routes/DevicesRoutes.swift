import Calls
import CallsBusMessages
import CallsJSON
import Hummingbird

/// The device routes of contract section 6: `/api/v2/me/devices[/{id}[/calls]]` and
/// `/api/v2/devices[/{id}]`, each one bus request (`devices.list`, `devices.get`, `devices.operate`,
/// `calls.dial`). The bus decides who sees which device; the gateway only narrows `/me/devices` to
/// the devices the user owns.
///
/// A `{id}` is percent-decoded. Directory device ids are made of `A-Z a-z 0-9 . _ @ -` only, so an
/// id that decodes to anything else (a `/` from `%2F`, a space) or does not decode (`%zz`, sent as
/// it came) names no device: the bus answers 404 (`statusCode` 6) after its user and role checks,
/// exactly as for a device that does not exist.
struct DevicesRoutes {
    let forwarder: BusForwarder

    /// `/api/v2/me/devices…` on the `/api/v2/me` group.
    func registerOwn(on me: RouterGroup<GatewayRequestContext>) {
        me.get("devices") { request, context in
            let selection = FieldSelection(request.uri.queryParameters.get("fields"))
            return try await forwarder.forward(.listDevices, [:], context: context) { reply, principal in
                // An admin's `devices.list` holds every device; `/me/devices` is the user's own.
                ReplySplice.devices(of: reply, selection: selection, onlyIds: Set(principal.devices))
            }
        }
        me.get("devices/{id}") { request, context in
            try await get(request, context)
        }
        me.post("devices/{id}") { request, context in
            let id = try BusForwarder.pathIdentifier("id", of: context)
            return try await forwarder.post(.operateDevice, request: request, context: context) { fields in
                fields["id"] = .string(id)
            }
        }
        me.post("devices/{id}/calls") { request, context in
            let id = try BusForwarder.pathIdentifier("id", of: context)
            return try await forwarder.post(.dial, request: request, context: context) { fields throws(CallsError) in
                try BusForwarder.requireOperationName(in: fields, among: ["Dial"])
                fields["operationName"] = nil
                fields["deviceId"] = .string(id)
            }
        }
    }

    /// `/api/v2/devices…` on the `/api/v2/devices` group.
    func registerAll(on devices: RouterGroup<GatewayRequestContext>) {
        devices.get { request, context in
            let selection = FieldSelection(request.uri.queryParameters.get("fields"))
            return try await forwarder.forward(.listDevices, [:], context: context) { reply, _ in
                ReplySplice.devices(of: reply, selection: selection)
            }
        }
        devices.get("{id}") { request, context in
            try await get(request, context)
        }
    }

    private func get(_ request: Request, _ context: GatewayRequestContext) async throws -> Response {
        let selection = FieldSelection(request.uri.queryParameters.get("fields"))
        let id = try BusForwarder.pathIdentifier("id", of: context)
        return try await forwarder.forward(.getDevice, ["id": .string(id)], context: context) { reply, _ in
            ReplySplice.device(of: reply, selection: selection)
        }
    }
}
