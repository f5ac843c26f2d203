public import CallsJSON
import Foundation
import NIOPosix

/// A JSON-RPC client of Kamailio's `jsonrpcs` module over its FIFO.
///
/// Each call makes a reply FIFO of its own in `replyDirectory` (which must be the module's
/// `fifo_reply_dir`), writes the request with its `reply_name` to Kamailio's FIFO, and reads the
/// reply until it is one whole JSON document. The FIFO, unlike the datagram transport (one reply of
/// at most 64 KB, about 90 dialogs), carries a `dlg.list` of any size.
public struct KamailioRPC: Sendable {
    /// Kamailio's `fifo_name`.
    public var fifoPath: String
    /// Kamailio's `fifo_reply_dir`: where the reply FIFOs are made.
    public var replyDirectory: String
    /// How long a reply may take.
    public var timeout: Duration

    /// Creates a client.
    public init(fifoPath: String, replyDirectory: String, timeout: Duration = .seconds(2)) {
        self.fifoPath = fifoPath
        self.replyDirectory = replyDirectory
        self.timeout = timeout
    }

    /// The live dialogs (`dlg.list`).
    /// - Throws: ``KamailioError`` when Kamailio does not answer or answers an error.
    public func listDialogs() async throws -> [DialogSnapshot] {
        let result = try await call("dlg.list", parameters: [])
        do {
            return try DialogSnapshot.list(from: result)
        } catch {
            throw KamailioError(reason: error.reason)
        }
    }

    /// Ends a confirmed dialog with a BYE to each side (`dlg.end_dlg`).
    /// - Throws: ``KamailioError`` when Kamailio does not answer or refuses (no such dialog).
    public func endDialog(_ key: DialogKey) async throws {
        _ = try await call("dlg.end_dlg", parameters: [.number(Double(key.entry)), .number(Double(key.id))])
    }

    /// Sends one request and returns its `result`.
    /// - Throws: ``KamailioError`` for a timeout, a FIFO error or an `error` reply.
    public func call(_ method: String, parameters: [JSONValue]) async throws -> JSONValue {
        let replyName = "calls-kamailio-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        var writer = JSONWriter()
        writer.beginObject()
        writer.string("2.0", key: "jsonrpc")
        writer.string(method, key: "method")
        writer.value(.array(parameters), key: "params")
        writer.string(replyName, key: "reply_name")
        writer.integer(1, key: "id")
        writer.endObject()
        let exchange = FIFOExchange(
            requestFIFO: fifoPath, replyFIFO: replyDirectory + "/" + replyName, timeout: timeout)
        let request = writer.bytes + [UInt8(ascii: "\n")]
        let reply = try await NIOThreadPool.singleton.runIfActive { try exchange.run(request) }
        guard let value = try? JSONValue(parsing: reply), let fields = value.objectValue else {
            throw KamailioError(reason: "\(method): the reply is not a JSON object")
        }
        if let failure = fields["error"]?.objectValue {
            throw KamailioError(reason: "\(method): \(failure["message"]?.stringValue ?? "refused")")
        }
        return fields["result"] ?? .null
    }
}
