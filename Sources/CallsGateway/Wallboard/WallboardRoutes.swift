import Calls
import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// `GET /wallboard` and its script and style (shipped in the binary: no build step, nothing
/// fetched from another host), and the sign-in that lets `EventSource` follow the event stream:
/// `POST /wallboard/session` (a form: `user`, `password`) sets an `HttpOnly`, `SameSite=Strict`
/// session cookie that the API accepts in place of HTTP Basic; `POST /wallboard/session/end` ends it.
struct WallboardRoutes {
    let credentials: CredentialCache
    let sessions: WallboardSessions
    /// Whether the gateway serves HTTPS: the cookie is then `Secure` too.
    let isSecure: Bool

    func register(on router: Router<GatewayRequestContext>) {
        router.get("wallboard") { _, _ in Self.asset(WallboardAssets.html, type: "text/html; charset=utf-8") }
        router.get("wallboard/wallboard.js") { _, _ in
            Self.asset(WallboardAssets.script, type: "text/javascript; charset=utf-8")
        }
        router.get("wallboard/wallboard.css") { _, _ in
            Self.asset(WallboardAssets.style, type: "text/css; charset=utf-8")
        }
        router.post("wallboard/session") { request, context in try await signIn(request, context: context) }
        // Whether this browser is signed in: always 200, so that the page asks without a 401 (whose
        // `WWW-Authenticate` would make the browser show its own login dialog over the page).
        router.get("wallboard/session") { request, _ in
            let principal = WallboardSessions.token(inCookieHeader: request.headers[.cookie])
                .flatMap { sessions.principal(forToken: $0) }
            var response = GWSResponse.json(Data(#"{"signedIn":\#(principal != nil)}"#.utf8), statusCode: 0)
            response.headers[.cacheControl] = "no-store"
            return response
        }
        router.post("wallboard/session/end") { _, _ in
            // The token holds no state to forget: clearing the cookie signs out this browser.
            return Self.redirect(
                cookie: "\(WallboardSessions.cookieName)=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict")
        }
    }

    private func signIn(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let body = try? await request.body.collect(upTo: 4096)
        let form = Self.form(body.map { String(buffer: $0) } ?? "")
        guard let user = form["user"], let password = form["password"] else {
            return Self.redirect(to: "/wallboard?signin=failed")
        }
        switch await credentials.login(user: user, password: password, from: context.clientAddress) {
        case .admitted(let principal):
            let token = sessions.token(for: principal)
            let seconds = sessions.lifetime.components.seconds
            context.logger.info("wallboard sign-in", metadata: ["http.user": "\(principal.id)"])
            return Self.redirect(
                cookie:
                    "\(WallboardSessions.cookieName)=\(token); Path=/; Max-Age=\(seconds); HttpOnly; SameSite=Strict"
                    + (isSecure ? "; Secure" : ""))
        case .refused:
            return Self.redirect(to: "/wallboard?signin=failed")
        case .throttled, .saturated:
            return Self.redirect(to: "/wallboard?signin=busy")
        }
    }

    /// `application/x-www-form-urlencoded` fields (`+` is a space).
    static func form(_ text: String) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let decode = { (part: Substring) in
                String(part).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? ""
            }
            fields[decode(parts[0])] = parts.count == 2 ? decode(parts[1]) : ""
        }
        return fields
    }

    private static func asset(_ text: String, type: String) -> Response {
        Response(
            status: .ok,
            headers: [
                .contentType: type, .cacheControl: "no-cache",
                .contentSecurityPolicy: "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'",
                HTTPField.Name("X-Content-Type-Options")!: "nosniff",
            ],
            body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    private static func redirect(to location: String = "/wallboard", cookie: String? = nil) -> Response {
        var headers: HTTPFields = [.location: location, .cacheControl: "no-store"]
        if let cookie { headers[.setCookie] = cookie }
        return Response(status: .seeOther, headers: headers)
    }
}
