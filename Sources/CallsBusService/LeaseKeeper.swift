import CallsStore
import Dispatch
import Foundation
import Logging
import Synchronization
import ZMQ

/// Keeps the lease of an active bus: renews it on a thread of its own, and tells the bus loop when
/// it may no longer count on holding it.
///
/// The loop asks ``isHeld`` before it serves anything. The answer is measured on this process's
/// monotonic clock from the start of the last successful renewal, with a margin, so it turns
/// `false` before the database lets a standby take over, even when this process was paused (a
/// `SIGSTOP`, a stalled VM): after such a pause the clock has moved on and the bus stands down
/// without serving a single request. Commits do not rely on this: the store fences each of them
/// against the lease's epoch in the database.
final class LeaseKeeper: Sendable {
    /// The epoch the lease was taken under.
    let epoch: UInt64
    /// Posted once when the lease is lost or can no longer be vouched for.
    let lost: Mailbox<Void>
    private let lease: any StoreLease
    private let logger: Logger
    /// Monotonic nanoseconds until which the lease is surely this bus's.
    private let heldUntil: Atomic<UInt64>
    private let stopping = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)
    private let isRunning = Atomic<Bool>(false)

    /// The part of the lease timeout the bus counts on: the rest covers the renewal's round trip
    /// and clock rates that differ a little between this machine and the database's.
    static let safeFraction = 0.8

    /// Starts renewing a lease taken under `epoch` by a request sent at `takenAt` (monotonic
    /// nanoseconds, read before the request went out).
    /// - Throws: ``ZMQ/ZMQError`` when the mailbox cannot be made (out of descriptors).
    init(lease: any StoreLease, epoch: UInt64, takenAt: UInt64, logger: Logger) throws(ZMQError) {
        self.lease = lease
        self.epoch = epoch
        self.logger = logger
        lost = try Mailbox()
        heldUntil = Atomic(takenAt + Self.nanoseconds(lease.timeout * Self.safeFraction))
        isRunning.store(true, ordering: .relaxed)
        let thread = Thread { [self] in renewUntilStopped() }
        thread.name = "calls-bus-lease"
        thread.start()
    }

    /// `true` while the lease is surely held; once `false` it stays so.
    var isHeld: Bool {
        DispatchTime.now().uptimeNanoseconds < heldUntil.load(ordering: .acquiring)
    }

    /// Ends the renewals and waits for the thread; call it once, before releasing the lease.
    func stop() {
        guard isRunning.exchange(false, ordering: .relaxed) else { return }
        stopping.signal()
        finished.wait()
    }

    private func renewUntilStopped() {
        defer { finished.signal() }
        let interval = lease.timeout / 4
        while stopping.wait(timeout: .now() + interval) == .timedOut {
            let start = DispatchTime.now().uptimeNanoseconds
            do throws(CallStoreError) {
                guard try lease.renew(epoch: epoch) else {
                    heldUntil.store(0, ordering: .releasing)
                    logger.error("lease lost: another bus took over", metadata: ["bus.lease.epoch": "\(epoch)"])
                    lost.post(())
                    return
                }
                heldUntil.store(start + Self.nanoseconds(lease.timeout * Self.safeFraction), ordering: .releasing)
            } catch {
                logger.warning(
                    "lease not renewed: the database did not answer",
                    metadata: ["bus.lease.epoch": "\(epoch)", "error": "\(error)"])
                if !isHeld {
                    logger.error(
                        "lease expired: the database was unreachable for too long",
                        metadata: ["bus.lease.epoch": "\(epoch)"])
                    lost.post(())
                    return
                }
            }
        }
    }

    private static func nanoseconds(_ seconds: Double) -> UInt64 {
        UInt64(max(0, seconds) * 1_000_000_000)
    }
}
