import Synchronization

/// Caps on open event streams, per user and in all.
///
/// Each stream holds a socket, a bus subscription and a task for as long as the client keeps it,
/// so without a cap one agent could open hundreds (500 were all accepted) and exhaust the
/// gateway's file descriptors for everyone. A stream takes a ``Slot`` before it subscribes; the
/// slot is given back when it is released, which happens when the response, and so the body
/// writer that holds it, is done with: however the stream ends (client gone, bus gone,
/// shutdown, or a refusal before the first byte).
final class EventStreamQuota: Sendable {
    /// Why a stream was refused.
    enum Refusal: Error, Equatable {
        /// The user already has ``EventStreamQuota/maxPerUser`` streams open.
        case user
        /// ``EventStreamQuota/maxTotal`` streams are open in all.
        case total
    }

    /// One open stream's place in the quota; given back when released.
    final class Slot: Sendable {
        let user: String
        private let quota: EventStreamQuota

        fileprivate init(user: String, quota: EventStreamQuota) {
            self.user = user
            self.quota = quota
        }

        deinit { quota.giveBack(user) }
    }

    private struct Counts {
        var total = 0
        var perUser: [String: Int] = [:]
    }

    /// The most streams open at once in all.
    let maxTotal: Int
    /// The most streams open at once for one user.
    let maxPerUser: Int
    private let counts = Mutex(Counts())

    init(maxTotal: Int, maxPerUser: Int) {
        self.maxTotal = max(0, maxTotal)
        self.maxPerUser = max(0, maxPerUser)
    }

    /// A slot for one more stream of `user`, or why there is none.
    func take(for user: String) -> Result<Slot, Refusal> {
        let refusal = counts.withLock { counts -> Refusal? in
            let mine = counts.perUser[user, default: 0]
            if mine >= maxPerUser { return .user }
            if counts.total >= maxTotal { return .total }
            counts.perUser[user] = mine + 1
            counts.total += 1
            return nil
        }
        if let refusal { return .failure(refusal) }
        return .success(Slot(user: user, quota: self))
    }

    /// Streams open in all.
    var total: Int { counts.withLock { $0.total } }

    /// Streams open for `user`.
    func open(for user: String) -> Int { counts.withLock { $0.perUser[user, default: 0] } }

    private func giveBack(_ user: String) {
        counts.withLock { counts in
            counts.total -= 1
            let remaining = counts.perUser[user, default: 1] - 1
            counts.perUser[user] = remaining > 0 ? remaining : nil
        }
    }
}
