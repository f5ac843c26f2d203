import Calls
import Foundation
import Hummingbird
import Logging

/// HTTP Basic authentication against the directory; a failure is a GWS 401 with `WWW-Authenticate`.
///
/// An address locked out by failed logins gets 429 (`statusCode` 20, `Retry-After`), and a login
/// that finds every bcrypt thread busy gets 503 (`statusCode` 4, `Retry-After: 1`); neither ran
/// bcrypt.
struct BasicAuthenticationMiddleware: RouterMiddleware {
    typealias Context = GatewayRequestContext

    let credentials: CredentialCache
    /// A wallboard sign-in (its cookie) stands in for Basic credentials when no `Authorization` is sent.
    let sessions: WallboardSessions
    let metrics: GatewayMetrics

    func handle(
        _ request: Request,
        context: GatewayRequestContext,
        next: (Request, GatewayRequestContext) async throws -> Response
    ) async throws -> Response {
        if request.headers[.authorization] == nil,
            let token = WallboardSessions.token(inCookieHeader: request.headers[.cookie])
        {
            guard let principal = sessions.principal(forToken: token) else {
                // An expired wallboard sign-in: no `WWW-Authenticate`, which would make the browser
                // pop up its own login over the page; the page shows its sign-in form instead.
                var response = GWSResponse.failure(
                    .notAuthenticated("the wallboard sign-in has expired; sign in again"))
                response.headers[.wwwAuthenticate] = nil
                return response
            }
            var context = context
            context.principal = principal
            context.logger[metadataKey: "http.user"] = "\(principal.id)"
            return try await next(request, context)
        }
        guard let (user, password) = Self.credentials(in: request) else {
            context.logger.info("authentication failed")
            return GWSResponse.failure(.notAuthenticated("valid HTTP Basic credentials are required"))
        }
        let address = context.clientAddress
        switch await credentials.login(user: user, password: password, from: address) {
        case .admitted(let principal):
            var context = context
            context.principal = principal
            context.logger[metadataKey: "http.user"] = "\(principal.id)"
            return try await next(request, context)
        case .refused(let lockout):
            context.logger.info("authentication failed")
            if let lockout {
                context.logger.info(
                    "login lockout started",
                    metadata: [
                        "http.client.address": "\(address)",
                        "login.failures": "\(credentials.throttle.failures(from: address))",
                        "login.lockout.seconds": "\(GWSResponse.seconds(lockout))",
                    ])
            }
            return GWSResponse.failure(.notAuthenticated("valid HTTP Basic credentials are required"))
        case .throttled(let wait):
            metrics.loginRefused(reason: "throttled")
            context.logger.debug("login refused: address locked out", metadata: ["http.client.address": "\(address)"])
            return GWSResponse.tooManyFailedLogins(retryAfter: wait)
        case .saturated:
            metrics.loginRefused(reason: "saturated")
            context.logger.debug(
                "login shed: every bcrypt thread busy", metadata: ["http.client.address": "\(address)"])
            return GWSResponse.loginsSaturated()
        }
    }

    /// The user and password of an `Authorization: Basic …` header.
    ///
    /// Not hummingbird-auth's `HTTPFields.basic`: it matches the scheme only as `Basic ` (RFC 7235
    /// says any case) and drops `user:` with an empty password, both of which this gateway accepts;
    /// its bcrypt (`HummingbirdBcrypt`) is what ``PasswordVerifier`` runs, on its own bounded pool.
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
