import Calls
import CallsStore
import Dispatch
import Foundation
import Logging
import ZMQ

/// One bus of a group sharing a database (contract section 10): it stands by, unbound, until it
/// takes the lease; serves as the active bus while it holds it; and stands by again when it loses
/// it, from the state the database holds, never from its memory.
struct BusGroupMember {
    /// The group's lease in the shared database.
    let lease: any StoreLease
    /// Opens the shared store for commits fenced by the given epoch.
    let openStore: @Sendable (UInt64) throws(CallStoreError) -> any CallStorage
    let configuration: BusConfiguration
    let directory: Directory
    let logger: Logger

    /// How often a standby asks for the lease: a tenth of the timeout, at most every 250 ms, so a
    /// takeover follows an expiry (or a released or dead holder) within a fraction of a second.
    var acquireInterval: Duration {
        .milliseconds(Int64(min(250, max(20, lease.timeout * 100))))
    }

    /// Stands by and serves in turn until `stop` is posted or the context shuts down.
    /// - Parameter onActive: called with the bound endpoints each time this bus becomes active.
    /// - Throws: ``BusServiceError`` when the endpoints cannot be bound (a configuration error).
    func run(
        context: Context, stop: Mailbox<Void>, reload: Mailbox<Void>, onActive: (BusEndpoints) -> Void
    ) throws {
        let stopPoller = Poller()
        _ = stopPoller.register(stop)
        while true {
            guard let (epoch, takenAt) = try waitForLease(stopPoller) else { return }
            let keeper: LeaseKeeper
            let store: any CallStorage
            do {
                keeper = try LeaseKeeper(lease: lease, epoch: epoch, takenAt: takenAt, logger: logger)
                store = try openStore(epoch)
            } catch {
                logger.error("cannot become active", metadata: ["bus.lease.epoch": "\(epoch)", "error": "\(error)"])
                lease.release(epoch: epoch)
                try pause(stopPoller, for: .seconds(1))
                continue
            }
            let outcome: BusEngine.Outcome
            do {
                let engine = try BusEngine(
                    configuration: configuration, directory: directory, context: context, logger: logger,
                    store: store, lease: keeper)
                logger.notice(
                    "bus active: lease taken",
                    metadata: ["bus.lease.epoch": "\(epoch)", "bus.seq": "\(engine.core.seq)"])
                onActive(engine.endpoints)
                outcome = try engine.run(until: stop, reload: reload)
            } catch let error as BusServiceError where error.code == .stateUnavailable {
                keeper.stop()
                lease.release(epoch: epoch)
                logger.error("cannot load the shared state; standing by", metadata: ["error": "\(error)"])
                try pause(stopPoller, for: .seconds(1))
                continue
            } catch {
                keeper.stop()
                lease.release(epoch: epoch)
                throw error
            }
            keeper.stop()
            switch outcome {
            case .stopped:
                // Graceful shutdown: every batch is committed, so a standby may take over at once.
                lease.release(epoch: epoch)
                logger.notice("lease released", metadata: ["bus.lease.epoch": "\(epoch)"])
                return
            case .stoodDown:
                // Expires the lease only if it is still this bus's (a failed commit, not a
                // takeover), so that a standby need not wait; then stand by again.
                lease.release(epoch: epoch)
                continue
            }
        }
    }

    /// Asks for the lease until this bus has it.
    /// - Returns: the epoch and the monotonic time the successful request was sent; `nil` when
    ///   `stop` was posted first.
    private func waitForLease(_ stopPoller: Poller) throws -> (UInt64, UInt64)? {
        logger.notice("bus standing by: waiting for the lease", metadata: ["bus.lease.timeout": "\(lease.timeout)"])
        var lastFailure: String?
        while true {
            let sentAt = DispatchTime.now().uptimeNanoseconds
            do throws(CallStoreError) {
                if let epoch = try lease.acquire() { return (epoch, sentAt) }
                if lastFailure != nil {
                    logger.notice("database reachable again; standing by")
                    lastFailure = nil
                }
            } catch {
                // Said once per outage, not at every attempt.
                if lastFailure != error.message {
                    logger.warning("cannot ask the database for the lease", metadata: ["error": "\(error)"])
                    lastFailure = error.message
                }
            }
            do {
                if try stopPoller.poll(timeout: acquireInterval) > 0 { return nil }
            } catch {
                if error.isTerminated { return nil }
                throw error
            }
        }
    }

    private func pause(_ stopPoller: Poller, for duration: Duration) throws {
        do {
            _ = try stopPoller.poll(timeout: duration)
        } catch {
            if !error.isTerminated { throw error }
        }
    }
}
