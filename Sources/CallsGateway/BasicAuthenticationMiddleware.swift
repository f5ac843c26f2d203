import Calls
import Foundation
import Hummingbird
import Logging

/// HTTP Basic authentication against the directory; a failure is a GWS 401 with `WWW-Authenticate`.
struct BasicAuthenticationMiddleware: RouterMiddleware {
    typealias Context = GatewayRequestContext

    let credentials: CredentialCache

    func handle(
        _ request: Request,
        context: GatewayRequestContext,
        next: (Request, GatewayRequestContext) async throws -> Response
    ) async throws -> Response {
        guard let (user, password) = Self.credentials(in: request),
            let principal = credentials.principal(user: user, password: password)
        else {
            context.logger.info("authentication failed")
            return GWSResponse.failure(.notAuthenticated("valid HTTP Basic credentials are required"))
        }
        var context = context
        context.principal = principal
        context.logger[metadataKey: "http.user"] = "\(principal.id)"
        return try await next(request, context)
    }

    /// The user and password of an `Authorization: Basic …` header.
    static func credentials(in request: Request) -> (String, String)? {
        guard let header = request.headers[.authorization] else { return nil }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "basic",
            let decoded = Data(base64Encoded: String(parts[1]).trimmingCharacters(in: .whitespaces)),
            let text = String(data: decoded, encoding: .utf8),
            let colon = text.firstIndex(of: ":")
        else { return nil }
        return (String(text[..<colon]), String(text[text.index(after: colon)...]))
    }
}
