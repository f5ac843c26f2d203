public import Calls
public import CallsBusClient
import CallsBusMessages
import CallsJSON
import Foundation
public import Hummingbird
public import Logging
public import ServiceLifecycle

/// GWS notifications over CometD: a Bayeux 1.0 long-polling server (contract section 9).
///
/// Run it as a service of the gateway's application, after the bus client: its ``run()`` follows
/// the bus's call and device events once, for every session, and fans them out by owner (a
/// user who sees every call gets all, an agent its own). ``register(on:principal:)`` mounts
/// `POST notifications` and the JavaScript client's `/handshake`, `/connect`… suffixes.
public final class CometDServer: Service, Sendable {
    /// The timeouts and bounds.
    public let configuration: CometDConfiguration
    let bus: CallsBusClient
    let followUser: String?
    let logger: Logger
    let registry: SessionRegistry

    /// Creates the server; nothing is followed until ``run()``.
    /// - Parameters:
    ///   - bus: the bus client, a service started before this one.
    ///   - followUser: a principal who sees every call and device, whose `calls.list` and
    ///     `events.replay` the shared subscription uses; `nil` when the directory has none (then no
    ///     call event is delivered, and a warning says why).
    public init(
        bus: CallsBusClient, followUser: String?, configuration: CometDConfiguration = CometDConfiguration(),
        logger: Logger
    ) {
        self.bus = bus
        self.followUser = followUser
        self.configuration = configuration
        self.logger = logger
        registry = SessionRegistry(configuration: configuration)
    }

    /// The session counts, for metrics.
    public var statistics: CometDStatistics { registry.statistics }

    /// Follows the bus and expires idle sessions until graceful shutdown, which first answers every
    /// held connect with reconnect advice.
    public func run() async throws {
        await withGracefulShutdownHandler {
            await cancelWhenGracefulShutdown {
                await withDiscardingTaskGroup { group in
                    group.addTask { await self.followCalls() }
                    group.addTask { await self.followDevices() }
                    group.addTask { await self.expireIdleSessions() }
                }
            }
        } onGracefulShutdown: {
            self.registry.close()
        }
    }

    /// Mounts `POST notifications` and `POST notifications/{type}` on `group`.
    /// - Parameter principal: the authenticated user of a request; `nil` answers 401.
    public func register<Context: RequestContext>(
        on group: RouterGroup<Context>, principal: @escaping @Sendable (Context) -> Principal?
    ) {
        let endpoint = NotificationsEndpoint(registry: registry, replays: SessionReplay(bus: bus, registry: registry))
        let maxBodySize = configuration.maxBodySize
        let handler: @Sendable (Request, Context) async throws -> Response = { request, context in
            guard let user = principal(context) else {
                return Self.response(
                    .unauthorized, [.meta([("successful", .bool(false)), ("error", .string("401::"))])])
            }
            let buffer: ByteBuffer
            do {
                buffer = try await request.body.collect(upTo: maxBodySize)
            } catch {
                return Self.badRequest("the request body is larger than \(maxBodySize) bytes")
            }
            let value = buffer.withUnsafeReadableBytes { bytes in try? JSONValue(parsing: Array(bytes)) }
            let messages: [JSONValue]
            switch value {
            case .array(let array)? where !array.isEmpty: messages = array
            case .object?: messages = [value!]
            case nil: return Self.badRequest("the request body is not JSON")
            default: return Self.badRequest("the request body must be a JSON array of messages")
            }
            let replies = await endpoint.answer(messages, user: user, logger: context.logger)
            return Self.response(.ok, replies)
        }
        group.post("notifications", use: handler)
        group.post("notifications/{type}", use: handler)
    }

    private static func badRequest(_ reason: String) -> Response {
        response(.badRequest, [.meta([("successful", .bool(false)), ("error", .string("400::\(reason)"))])])
    }

    private static func response(_ status: HTTPResponse.Status, _ replies: [BayeuxReply]) -> Response {
        Response(
            status: status, headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(bytes: BayeuxReply.encode(replies))))
    }
}
