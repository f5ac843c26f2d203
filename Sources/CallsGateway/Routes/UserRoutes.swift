import Calls
import CallsBusMessages
import Hummingbird

/// `/api/v2/me` (`users.get`, and `users.operate` for the contact-centre session) and
/// `/api/v2/me/channels/voice` (`users.operate` for `Ready` and `NotReady`). Each route takes only
/// its own operations, so that the voice channel cannot end a session nor `/me` change readiness.
struct UserRoutes {
    /// The operations `POST /api/v2/me` takes.
    static let sessionOperations = ["StartContactCenterSession", "EndContactCenterSession"]
    /// The operations `POST /api/v2/me/channels/voice` takes.
    static let voiceOperations = ["Ready", "NotReady"]

    let forwarder: BusForwarder

    func register(on me: RouterGroup<GatewayRequestContext>) {
        me.get { _, context in
            try await forwarder.forward(.getUser, [:], context: context)
        }
        me.post { request, context in
            try await operate(among: Self.sessionOperations, request, context)
        }
        me.post("channels/voice") { request, context in
            try await operate(among: Self.voiceOperations, request, context)
        }
    }

    private func operate(among names: [String], _ request: Request, _ context: GatewayRequestContext) async throws
        -> Response
    {
        try await forwarder.post(.operateUser, request: request, context: context) { fields throws(CallsError) in
            try BusForwarder.requireOperationName(in: fields, among: names)
        }
    }
}
