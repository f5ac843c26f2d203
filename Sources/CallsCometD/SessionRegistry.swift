import Calls
import Foundation
import Synchronization

/// Every session of the endpoint, indexed by user, behind one lock: handshakes, subscriptions,
/// connects, and the fan-out of bus events to the sessions that may see them.
final class SessionRegistry: Sendable {
    private struct State {
        var sessions: [String: CometDSession] = [:]
        /// Session ids by user, and those of users who see every call.
        var sessionsOfUser: [String: Set<String>] = [:]
        var everyCall: Set<String> = []
        var nextConnect: UInt64 = 0
        var isClosing = false
        var expiries = 0
        var overflows = 0
        var refusals = 0
    }

    /// Why a handshake was refused.
    enum Refusal: Error {
        case userCap(Int)
        case totalCap(Int)
    }

    /// What a connect does next.
    enum ConnectStep: Sendable {
        case unknown
        case reply(messages: [QueuedMessage], ack: UInt64?, isClosing: Bool)
        case wait(AsyncStream<Void>, connect: UInt64)
    }

    let configuration: CometDConfiguration
    private let state = Mutex(State())
    /// Whether the shared subscription to the bus has its starting point: until then a new session
    /// could subscribe after an event that the subscription's snapshot already counts as seen.
    private let isFollowing = Atomic<Bool>(false)

    init(configuration: CometDConfiguration) {
        self.configuration = configuration
    }

    /// Says that the shared subscription follows the bus from now on (or never will).
    func markFollowing() {
        isFollowing.store(true, ordering: .releasing)
    }

    /// Waits, at most `limit`, until the shared subscription follows the bus (only just after start).
    func waitUntilFollowing(upTo limit: Duration) async {
        let deadline = ContinuousClock.now + limit
        while !isFollowing.load(ordering: .acquiring), ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(10))
        }
    }

    /// Opens a session for `user`; refused beyond the caps.
    func handshake(user: Principal, acknowledges: Bool, now: ContinuousClock.Instant) -> Result<String, Refusal> {
        let clientId = Self.newClientId()
        return state.withLock { state in
            let mine = state.sessionsOfUser[user.id]?.count ?? 0
            if mine >= configuration.maxSessionsPerUser {
                state.refusals += 1
                return .failure(.userCap(configuration.maxSessionsPerUser))
            }
            if state.sessions.count >= configuration.maxSessions {
                state.refusals += 1
                return .failure(.totalCap(configuration.maxSessions))
            }
            state.sessions[clientId] = CometDSession(
                clientId: clientId, user: user.id, seesEveryCall: user.seesEveryCall, acknowledges: acknowledges,
                now: now)
            state.sessionsOfUser[user.id, default: []].insert(clientId)
            if user.seesEveryCall { state.everyCall.insert(clientId) }
            return .success(clientId)
        }
    }

    /// Changes a live session of `user`; `nil` (and nothing done) when it is unknown, another
    /// user's or expired.
    func update<Result: Sendable>(
        _ clientId: String?, of user: String, now: ContinuousClock.Instant,
        _ body: (inout CometDSession) -> Result
    ) -> Result? {
        state.withLock { state in
            guard let clientId, var session = state.sessions[clientId], session.user == user else { return nil }
            if session.hasExpired(at: now, timeout: configuration.sessionTimeout) {
                Self.remove(clientId, from: &state)
                state.expiries += 1
                return nil
            }
            let result = body(&session)
            state.sessions[clientId] = session
            return result
        }
    }

    /// Ends a session of `user`; `false` when it was not known.
    func disconnect(_ clientId: String?, of user: String, now: ContinuousClock.Instant) -> Bool {
        guard update(clientId, of: user, now: now, { _ in () }) != nil, let clientId else { return false }
        state.withLock { Self.remove(clientId, from: &$0) }
        return true
    }

    /// Starts a connect: acknowledges, then replies at once or returns what to wait on.
    func beginConnect(
        _ clientId: String?, of user: String, ack: UInt64?, holds: Bool, now: ContinuousClock.Instant
    ) -> ConnectStep {
        let closing = state.withLock { $0.isClosing }
        let connect = state.withLock { state in
            state.nextConnect += 1
            return state.nextConnect
        }
        let step = update(clientId, of: user, now: now) { (session: inout CometDSession) -> ConnectStep in
            if let ack, session.acknowledges { session.acknowledge(ack) }
            if !holds || closing || !session.hasConnected || session.hasDeliverable {
                let (messages, ack) = session.takeBatch(at: now)
                return .reply(messages: messages, ack: ack, isClosing: closing)
            }
            // A newer connect replaces a held one, which then answers with what there is.
            session.wakeup?.finish()
            let (wakeups, wakeup) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
            session.wakeup = wakeup
            session.heldConnect = connect
            return .wait(wakeups, connect: connect)
        }
        return step ?? .unknown
    }

    /// Ends a held connect: what it carries, or `.unknown` when the session ended meanwhile.
    func finishConnect(_ clientId: String, of user: String, connect: UInt64, now: ContinuousClock.Instant)
        -> ConnectStep
    {
        let closing = state.withLock { $0.isClosing }
        let step = update(clientId, of: user, now: now) { (session: inout CometDSession) -> ConnectStep in
            if session.heldConnect == connect {
                session.wakeup = nil
            }
            let (messages, ack) = session.takeBatch(at: now)
            return .reply(messages: messages, ack: ack, isClosing: closing)
        }
        return step ?? .unknown
    }

    /// Ends one replay of a session of `user`: its messages, then the live events held back meanwhile
    /// (ending the session if that is beyond its cap).
    func finishReplay(_ clientId: String, of user: String, messages: [QueuedMessage], isResync: Bool) {
        state.withLock { state in
            guard state.sessions[clientId]?.user == user else { return }
            deliver(to: clientId, in: &state) { session in
                session.finishReplay(messages, isResync: isResync)
                return true
            }
        }
    }

    /// Queues a call event for every session following calls whose user may see it.
    func publishCall(ownerId: String, seq: UInt64, body: Data) {
        let message = QueuedMessage.call(seq: seq, body: body)
        state.withLock { state in
            for clientId in Self.audience(of: ownerId, in: state) {
                deliver(to: clientId, in: &state) { session in
                    guard session.followsCalls else { return false }
                    session.enqueueCall(message)
                    return true
                }
            }
        }
    }

    /// Queues a device event for every session following devices whose user may see it.
    func publishDevice(ownerId: String, body: Data) {
        let message = QueuedMessage.device(body: body)
        state.withLock { state in
            for clientId in Self.audience(of: ownerId, in: state) {
                deliver(to: clientId, in: &state) { session in
                    guard session.followsDevices else { return false }
                    session.queue.append(message)
                    return true
                }
            }
        }
    }

    /// Queues a message for every session of `user` that follows its channel.
    func publish(_ message: QueuedMessage, toSessionsOf user: String) {
        state.withLock { state in
            for clientId in state.sessionsOfUser[user] ?? [] {
                deliver(to: clientId, in: &state) { session in
                    if message.channel == NotificationChannel.calls {
                        guard session.followsCalls else { return false }
                        session.enqueueResync(message)
                    } else {
                        guard session.followsDevices else { return false }
                        session.queue.append(message)
                    }
                    return true
                }
            }
        }
    }

    /// The users that have a session following `channel`'s messages.
    func users(following channel: String) -> Set<String> {
        state.withLock { state in
            Set(
                state.sessions.values.lazy.filter {
                    channel == NotificationChannel.calls ? $0.followsCalls : $0.followsDevices
                }.map(\.user))
        }
    }

    /// Ends the sessions that have waited longer than the session timeout for a connect.
    @discardableResult
    func expire(now: ContinuousClock.Instant) -> Int {
        state.withLock { state in
            let expired = state.sessions.values.filter {
                $0.hasExpired(at: now, timeout: configuration.sessionTimeout)
            }
            for session in expired { Self.remove(session.clientId, from: &state) }
            state.expiries += expired.count
            return expired.count
        }
    }

    /// Answers every held connect (with reconnect advice) and every later one at once: the gateway stops.
    func close() {
        state.withLock { state in
            state.isClosing = true
            for clientId in state.sessions.keys {
                state.sessions[clientId]?.wakeup?.finish()
            }
        }
    }

    /// The numbers the gateway's metrics report.
    var statistics: CometDStatistics {
        state.withLock { state in
            CometDStatistics(
                sessions: state.sessions.count,
                queuedMessages: state.sessions.values.reduce(0) { $0 + $1.held },
                expiries: state.expiries,
                overflows: state.overflows,
                refusals: state.refusals)
        }
    }

    /// Changes one session with `body`; when it queued something, wakes its held connect, or ends
    /// the session when its queue is beyond the cap.
    private func deliver(
        to clientId: String, in state: inout State, _ body: (inout CometDSession) -> Bool
    ) {
        guard var session = state.sessions[clientId], body(&session) else { return }
        if session.held > configuration.maxQueuedMessages {
            Self.remove(clientId, from: &state)
            state.overflows += 1
            return
        }
        if !session.queue.isEmpty { session.wakeup?.yield() }
        state.sessions[clientId] = session
    }

    private static func audience(of ownerId: String, in state: State) -> Set<String> {
        state.everyCall.union(state.sessionsOfUser[ownerId] ?? [])
    }

    private static func remove(_ clientId: String, from state: inout State) {
        guard let session = state.sessions.removeValue(forKey: clientId) else { return }
        session.wakeup?.finish()
        state.sessionsOfUser[session.user]?.remove(clientId)
        if state.sessionsOfUser[session.user]?.isEmpty == true { state.sessionsOfUser[session.user] = nil }
        state.everyCall.remove(clientId)
    }

    private static func newClientId() -> String {
        var generator = SystemRandomNumberGenerator()
        let high = generator.next() as UInt64
        let low = generator.next() as UInt64
        return String(high, radix: 36) + String(low, radix: 36)
    }
}
