public import Calls
public import Hummingbird
public import NIOCore

/// The per-request context: Hummingbird's core plus the authenticated principal.
public struct GatewayRequestContext: RequestContext, RemoteAddressRequestContext {
    /// Hummingbird's own per-request storage.
    public var coreContext: CoreRequestContextStorage
    /// The principal that Basic authentication admitted; set before any `/api/v2` route runs.
    public var principal: Principal?
    /// The client's address as the socket sees it (`nil` in router tests); failed logins are
    /// counted per address.
    public let remoteAddress: SocketAddress?

    /// Creates a context for a new request.
    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        principal = nil
        remoteAddress = source.channel.remoteAddress
    }

    /// The key failed logins are counted under: the client's IP address, or `-` when unknown.
    var clientAddress: String {
        remoteAddress?.ipAddress ?? "-"
    }
}
