/// One Bayeux session: whose it is, what it follows, and what waits for its next connect.
struct CometDSession {
    let clientId: String
    let user: String
    let seesEveryCall: Bool
    /// The client asked for the ack extension at handshake.
    let acknowledges: Bool
    var subscriptions: Set<String> = []
    /// Messages not yet sent, oldest first.
    var queue: [QueuedMessage] = []
    /// With the ack extension: what the last connect reply carried, until the client acknowledges it.
    var unacknowledged: [QueuedMessage] = []
    /// The `ext.ack` number of the last connect reply.
    var batch: UInt64 = 0
    /// The last call event queued, so that a replay and the live events never deliver one twice.
    var lastCallSeq: UInt64 = 0
    /// Subscriptions whose `ext.replay` is being read: live call events wait in ``pending`` meanwhile.
    var replays = 0
    var pending: [QueuedMessage] = []
    var hasConnected = false
    /// The held connect's wake-up, and its number (a newer connect replaces an older one).
    var wakeup: AsyncStream<Void>.Continuation?
    var heldConnect: UInt64 = 0
    /// When the last connect reply (or the handshake) went out; with no connect held, the session
    /// expires a session timeout later.
    var idleSince: ContinuousClock.Instant

    init(clientId: String, user: String, seesEveryCall: Bool, acknowledges: Bool, now: ContinuousClock.Instant) {
        self.clientId = clientId
        self.user = user
        self.seesEveryCall = seesEveryCall
        self.acknowledges = acknowledges
        idleSince = now
    }

    var followsCalls: Bool { !subscriptions.isDisjoint(with: NotificationChannel.coveringCalls) }
    var followsDevices: Bool { !subscriptions.isDisjoint(with: NotificationChannel.coveringDevices) }
    var isHeld: Bool { wakeup != nil }
    var hasDeliverable: Bool { !queue.isEmpty || !unacknowledged.isEmpty }
    /// Everything the session holds against its cap.
    var held: Int { queue.count + unacknowledged.count + pending.count }

    func hasExpired(at now: ContinuousClock.Instant, timeout: Duration) -> Bool {
        !isHeld && now - idleSince > timeout
    }

    /// Queues a call event unless it was queued already; while a replay is read, it waits.
    mutating func enqueueCall(_ message: QueuedMessage) {
        if replays > 0 {
            pending.append(message)
            return
        }
        guard let seq = message.callSeq, seq > lastCallSeq else { return }
        lastCallSeq = seq
        queue.append(message)
    }

    /// Queues a snapshot: the events it already holds are dropped from here on.
    mutating func enqueueResync(_ message: QueuedMessage) {
        lastCallSeq = message.callSeq ?? lastCallSeq
        queue.append(message)
    }

    /// Ends one replay: its messages, then the live events that arrived meanwhile, in order, none twice.
    mutating func finishReplay(_ messages: [QueuedMessage], isResync: Bool) {
        replays = max(0, replays - 1)
        for message in messages {
            if isResync { enqueueResync(message) } else { enqueueCall(message) }
        }
        guard replays == 0 else { return }
        let waiting = pending
        pending = []
        for message in waiting { enqueueCall(message) }
    }

    /// Forgets what the client acknowledged: every batch up to `ack`.
    mutating func acknowledge(_ ack: UInt64) {
        if ack >= batch { unacknowledged = [] }
    }

    /// Takes what a connect reply carries now, with its ack number when the extension is on.
    mutating func takeBatch(at now: ContinuousClock.Instant) -> (messages: [QueuedMessage], ack: UInt64?) {
        hasConnected = true
        idleSince = now
        var messages = queue
        queue = []
        guard acknowledges else { return (messages, nil) }
        messages = unacknowledged + messages
        batch += 1
        unacknowledged = messages
        return (messages, batch)
    }
}
