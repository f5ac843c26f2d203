import Calls
import CallsBusMessages
import Foundation
import Hummingbird

/// GWS-shaped JSON responses and the contract's status-code-to-HTTP table (section 4).
enum GWSResponse {
    /// The HTTP status for a GWS `statusCode`; anything unknown is a 500.
    static func httpStatus(forStatusCode statusCode: Int) -> HTTPResponse.Status {
        switch statusCode {
        case 0: .ok
        case 1, 2: .badRequest
        case 3, 5: .forbidden
        case 6: .notFound
        case 20: .unauthorized
        default: .internalServerError
        }
    }

    /// A JSON response carrying `body` (already a GWS reply) with the HTTP status its `statusCode` maps to.
    static func json(_ body: Data, statusCode: Int) -> Response {
        var headers: HTTPFields = [.contentType: "application/json"]
        if statusCode == 20 { headers[.wwwAuthenticate] = #"Basic realm="calls", charset="UTF-8""# }
        return Response(
            status: httpStatus(forStatusCode: statusCode),
            headers: headers,
            body: .init(byteBuffer: ByteBuffer(bytes: body))
        )
    }

    /// The response for a refusal made here or by the bus.
    static func failure(_ error: CallsError) -> Response {
        json(BusReply.failure(error), statusCode: error.code.statusCode)
    }

    /// 415 with `statusCode` 2: a POST body that is not declared `application/json` (contract
    /// section 11). A browser sends `text/plain` and form bodies cross-origin without asking, with
    /// its cached Basic credentials; JSON needs a preflight that a foreign page does not pass.
    static func unsupportedMediaType() -> Response {
        var response = failure(.invalidParameter("the request body must be sent as Content-Type: application/json"))
        response.status = .unsupportedMediaType
        return response
    }

    /// 503 with `statusCode` 4: the bus did not answer.
    static func unavailable(_ reason: String) -> Response {
        refusal(.serviceUnavailable, .internal("the call service is unavailable: \(reason)"), retryAfter: .seconds(1))
    }

    /// 429 with `statusCode` 20: the client's address failed to log in too often and is locked
    /// out for `retryAfter`; its credentials were not checked.
    static func tooManyFailedLogins(retryAfter: Duration) -> Response {
        refusal(
            .tooManyRequests,
            .notAuthenticated(
                "too many failed logins from this address: retry after \(seconds(retryAfter)) s"),
            retryAfter: retryAfter)
    }

    /// 503 with `statusCode` 4: every bcrypt thread is busy and the queue is full; the
    /// credentials were not checked.
    static func loginsSaturated() -> Response {
        refusal(
            .serviceUnavailable, .internal("too many logins are being checked: retry in a moment"),
            retryAfter: .seconds(1))
    }

    /// 429 with `statusCode` 2: the user already has `limit` event streams open.
    static func tooManyStreams(limit: Int) -> Response {
        refusal(
            .tooManyRequests,
            .invalidParameter("this user already has \(limit) event streams open: close one first"),
            retryAfter: .seconds(5))
    }

    /// 503 with `statusCode` 4: `limit` event streams are open in all.
    static func streamsSaturated(limit: Int) -> Response {
        refusal(
            .serviceUnavailable, .internal("the gateway has \(limit) event streams open: retry later"),
            retryAfter: .seconds(5))
    }

    /// A refusal with an HTTP status of its own (not the `statusCode`'s) and `Retry-After`.
    static func refusal(_ status: HTTPResponse.Status, _ error: CallsError, retryAfter: Duration) -> Response {
        var response = failure(error)
        response.status = status
        response.headers[.wwwAuthenticate] = nil
        response.headers[.retryAfter] = String(seconds(retryAfter))
        return response
    }

    /// Whole seconds for `Retry-After`: rounded up, at least 1.
    static func seconds(_ duration: Duration) -> Int {
        let (seconds, attoseconds) = duration.components
        return max(1, Int(seconds) + (attoseconds > 0 ? 1 : 0))
    }
}
