public import Calls
public import Hummingbird

/// The per-request context: Hummingbird's core plus the authenticated principal.
public struct GatewayRequestContext: RequestContext {
    /// Hummingbird's own per-request storage.
    public var coreContext: CoreRequestContextStorage
    /// The principal that Basic authentication admitted; set before any `/api/v2` route runs.
    public var principal: Principal?

    /// Creates a context for a new request.
    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        principal = nil
    }
}
