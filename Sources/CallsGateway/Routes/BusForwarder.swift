import Calls
import CallsBusClient
import CallsBusMessages
import CallsJSON
import Foundation
import Hummingbird
import Logging

/// What every REST route does with the bus: one REST request becomes one bus request for the
/// authenticated user, and the reply goes back with the HTTP status its `statusCode` maps to.
struct BusForwarder {
    let bus: CallsBusClient
    let maxBodySize: Int
    let metrics: GatewayMetrics

    /// Sends `operation` for the authenticated user and answers with the reply: refusals as the bus
    /// wrote them, a success as `success` shapes it (by default the bus's bytes as they came).
    /// - Returns: the response; 401 without a principal, 503 when the bus does not answer.
    func forward(
        _ operation: BusOperation,
        _ fields: [String: JSONValue],
        context: GatewayRequestContext,
        success: (ParsedReply, Principal) -> Data = { reply, _ in reply.frame }
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
        return GWSResponse.json(success(reply, principal), statusCode: 0)
    }

    /// Forwards a POST: 415 unless the body is declared JSON, 400 unless it is a JSON object of at
    /// most ``maxBodySize`` bytes; then the body's members without `op`, `user` and `id` (the URL and
    /// the login decide those), as `adjust` leaves them, go to the bus as `operation`.
    /// - Parameter adjust: adds what the URL says and refuses what the route does not take.
    func post(
        _ operation: BusOperation,
        request: Request,
        context: GatewayRequestContext,
        adjusting adjust: (inout [String: JSONValue]) throws(CallsError) -> Void = { _ in }
    ) async throws -> Response {
        guard Self.isJSON(request.headers[.contentType]) else { return GWSResponse.unsupportedMediaType() }
        var fields: [String: JSONValue]
        do {
            fields = try await body(of: request)
            fields["op"] = nil
            fields["user"] = nil
            fields["id"] = nil
            try adjust(&fields)
        } catch let error as CallsError {
            return GWSResponse.failure(error)
        }
        return try await forward(operation, fields, context: context)
    }

    /// `application/json`, with or without parameters (`; charset=utf-8`), in any case.
    static func isJSON(_ contentType: String?) -> Bool {
        guard let contentType else { return false }
        let mediaType = contentType.split(separator: ";", maxSplits: 1).first ?? ""
        return mediaType.trimmingCharacters(in: .whitespaces).lowercased() == "application/json"
    }

    /// Checks that the body's `operationName` is one that this route serves, so that a route cannot
    /// reach another's operations (`/channels/voice` cannot end a session).
    /// - Throws: 1 when it is missing, 2 when it is not a string or not one of `names`.
    static func requireOperationName(in fields: [String: JSONValue], among names: [String]) throws(CallsError) {
        switch fields["operationName"] {
        case nil, .null?:
            throw .missingParameter("operationName is missing")
        case .string(let name)? where names.contains(name):
            return
        case .string(let name)?:
            throw .invalidParameter(
                "operationName '\(name)' is not served here: expected \(names.joined(separator: " or "))")
        case let value?:
            throw .invalidParameter("operationName must be a string, not \(value.typeName)")
        }
    }

    /// A `{id}` path segment, percent-decoded; one that does not decode goes as it came, and names
    /// nothing (ids the bus knows have no `%`).
    static func pathIdentifier(_ name: String, of context: GatewayRequestContext) throws -> String {
        let raw = try context.parameters.require(name)
        return raw.removingPercentEncoding ?? raw
    }

    private func body(of request: Request) async throws -> [String: JSONValue] {
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
