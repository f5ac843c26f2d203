import Calls
import CallsBusClient
import CallsJSON
import Foundation
import Logging
import ServiceLifecycle

/// Answers one request's Bayeux messages for an authenticated user (contract section 9).
struct NotificationsEndpoint: Sendable {
    let registry: SessionRegistry
    let replays: SessionReplay
    var configuration: CometDConfiguration { registry.configuration }

    /// The replies to `messages`, in order; a connect may wait for a message first.
    func answer(_ messages: [JSONValue], user: Principal, logger: Logger) async -> [BayeuxReply] {
        var replies: [BayeuxReply] = []
        for value in messages {
            guard let message = BayeuxMessage(value) else {
                replies.append(.meta([("successful", .bool(false)), ("error", .string("400::Not a message object"))]))
                continue
            }
            replies += await answer(message, user: user, logger: logger)
        }
        return replies
    }

    private func answer(_ message: BayeuxMessage, user: Principal, logger: Logger) async -> [BayeuxReply] {
        let now = ContinuousClock.now
        switch message.channel {
        case nil:
            return [.error(to: message, "400::Missing channel")]
        case "/meta/handshake":
            // Just after start, the shared subscription may not have its snapshot yet.
            await registry.waitUntilFollowing(upTo: .seconds(2))
            return [handshake(message, user: user, now: now, logger: logger)]
        case "/meta/connect":
            return await connect(message, user: user)
        case "/meta/subscribe":
            return [await subscribe(message, user: user, logger: logger)]
        case "/meta/unsubscribe":
            let channel = message.subscription?.stringValue
            let known = registry.update(message.clientId, of: user.id, now: now) { session in
                if let channel { session.subscriptions.remove(channel) }
            }
            guard known != nil else { return [.unknownClient(message)] }
            return [.reply(to: message, successful: true, subscriptionEcho(message))]
        case "/meta/disconnect":
            guard registry.disconnect(message.clientId, of: user.id, now: now) else {
                return [.unknownClient(message)]
            }
            return [.reply(to: message, successful: true, clientIdEcho(message))]
        case let channel?:
            guard registry.update(message.clientId, of: user.id, now: now, { _ in () }) != nil else {
                return [.unknownClient(message)]
            }
            if channel.hasPrefix("/meta/") { return [.error(to: message, "400::Unknown meta channel")] }
            return [.error(to: message, "403:\(message.clientId ?? ""),\(channel):Publish denied")]
        }
    }

    private func handshake(
        _ message: BayeuxMessage, user: Principal, now: ContinuousClock.Instant, logger: Logger
    ) -> BayeuxReply {
        let acknowledges = message.extFlag("ack")
        switch registry.handshake(user: user, acknowledges: acknowledges, now: now) {
        case .success(let clientId):
            logger.debug("cometd session opened", metadata: ["cometd.client.id": "\(clientId)"])
            var fields: [(String, JSONValue)] = [
                ("version", .string("1.0")),
                ("clientId", .string(clientId)),
                ("supportedConnectionTypes", .array([.string("long-polling")])),
                ("advice", advice(reconnect: "retry")),
            ]
            if acknowledges { fields.append(("ext", .object(["ack": .bool(true)]))) }
            return .reply(to: message, successful: true, fields)
        case .failure(let refusal):
            logger.info("cometd handshake refused: too many sessions", metadata: ["cometd.refusal": "\(refusal)"])
            let text =
                switch refusal {
                case .userCap(let limit): "429::This user already has \(limit) sessions: disconnect one first"
                case .totalCap(let limit): "503::The gateway has \(limit) sessions: retry later"
                }
            return .error(
                to: message, text,
                [("advice", .object(["reconnect": .string("handshake"), "interval": .number(5000)]))])
        }
    }

    private func subscribe(_ message: BayeuxMessage, user: Principal, logger: Logger) async -> BayeuxReply {
        let now = ContinuousClock.now
        let channel = message.subscription?.stringValue
        let replayAfter = message.extNumber("replay")
        let isAllowed = channel.map { NotificationChannel.subscribable.contains($0) } ?? false
        let replays = isAllowed && replayAfter != nil && NotificationChannel.coveringCalls.contains(channel ?? "")
        let known = registry.update(message.clientId, of: user.id, now: now) { session in
            guard isAllowed, let channel else { return }
            session.subscriptions.insert(channel)
            if replays { session.replays += 1 }
        }
        guard known != nil else { return .unknownClient(message) }
        guard isAllowed, let channel, let clientId = message.clientId else {
            let denied = "403:\(message.clientId ?? ""),\(channel ?? ""):Subscription denied"
            return .error(to: message, denied, subscriptionEcho(message))
        }
        if replays, let replayAfter {
            await self.replays.replay(after: replayAfter, for: user.id, session: clientId, logger: logger)
        }
        return .reply(to: message, successful: true, clientIdEcho(message) + subscriptionEcho(message))
    }

    private func connect(_ message: BayeuxMessage, user: Principal) async -> [BayeuxReply] {
        let timeout = min(
            configuration.connectTimeout,
            message.adviceTimeout.map { Duration.milliseconds(max(0, $0)) } ?? .seconds(3600))
        let holds = timeout > .zero
        var step = registry.beginConnect(
            message.clientId, of: user.id, ack: message.extNumber("ack"), holds: holds, now: .now)
        if case .wait(let wakeups, let connect) = step, let clientId = message.clientId {
            await Self.wait(for: wakeups, upTo: timeout, registry: registry)
            step = registry.finishConnect(clientId, of: user.id, connect: connect, now: .now)
        }
        guard case .reply(let messages, let ack, let isClosing) = step else { return [.unknownClient(message)] }
        var fields = clientIdEcho(message)
        fields.append(("advice", advice(reconnect: "retry", interval: isClosing ? 1000 : 0)))
        if let ack { fields.append(("ext", .object(["ack": .number(Double(ack))]))) }
        return messages.map { .delivery($0) } + [.reply(to: message, successful: true, fields)]
    }

    /// Waits until the session has something, `timeout` passes, or the gateway shuts down.
    private static func wait(for wakeups: AsyncStream<Void>, upTo timeout: Duration, registry: SessionRegistry) async {
        await withGracefulShutdownHandler {
            await withTaskGroup(of: Void.self) { group in
                group.addTask {
                    for await _ in wakeups { return }
                }
                group.addTask {
                    try? await Task.sleep(for: timeout)
                }
                await group.next()
                group.cancelAll()
            }
        } onGracefulShutdown: {
            registry.close()
        }
    }

    private func advice(reconnect: String, interval: Int = 0) -> JSONValue {
        let timeout = configuration.connectTimeout.components
        let milliseconds = Double(timeout.seconds) * 1000 + Double(timeout.attoseconds / 1_000_000_000_000_000)
        return .object([
            "reconnect": .string(reconnect), "interval": .number(Double(interval)), "timeout": .number(milliseconds),
        ])
    }

    private func clientIdEcho(_ message: BayeuxMessage) -> [(String, JSONValue)] {
        message.clientId.map { [("clientId", .string($0))] } ?? []
    }

    private func subscriptionEcho(_ message: BayeuxMessage) -> [(String, JSONValue)] {
        message.subscription.map { [("subscription", $0)] } ?? []
    }
}
