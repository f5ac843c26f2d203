import CallsJSON
import HTTPTypes
import Hummingbird
import HummingbirdTesting

extension TestClientProtocol {
    /// `GET uri` as `user` (none: no credentials), answered as its status and its JSON body.
    func get(_ uri: String, as user: String?) async throws -> (HTTPResponse.Status, JSONValue?) {
        try await execute(uri: uri, method: .get, headers: user.map { GatewayHarness.basic($0) } ?? [:]) {
            ($0.status, $0.json)
        }
    }

    /// `POST uri` of `body` as `user` (none: no credentials), declared `contentType`.
    func post(
        _ uri: String, _ body: String, as user: String?, contentType: String? = "application/json"
    ) async throws -> (HTTPResponse.Status, JSONValue?) {
        var headers = user.map { GatewayHarness.basic($0) } ?? [:]
        if let contentType { headers[.contentType] = contentType }
        return try await execute(uri: uri, method: .post, headers: headers, body: ByteBuffer(string: body)) {
            ($0.status, $0.json)
        }
    }
}
