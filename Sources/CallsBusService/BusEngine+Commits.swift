import Calls
import CallsBusMessages
import CallsStore
import Foundation
import Logging
import ZMQ

/// A batch handed to the ``CommitPipeline``: what goes out once it is durable.
struct SealedBatch {
    /// The pipeline's number for it.
    var id: UInt64
    /// Replies to send once it is durable: its own requests', then those of reads that saw it.
    var replies: [(route: [[UInt8]], reply: Data)]
    /// Events to publish once it is durable.
    var events: [BusCore.Event]
}

extension BusEngine {
    /// One batch syncing, one waiting: enough to keep the disk busy while the loop applies.
    static let maxBatchesInFlight = 2

    /// Hands the batch built so far to the pipeline. Replies of a batch that changed nothing go
    /// out at once when nothing is in flight; otherwise they may have shown changes not yet
    /// durable, so they wait behind the newest batch in flight.
    func seal() throws {
        if let commit = core.takeCommit() {
            let id = pipeline.submit(commit.batch)
            inFlight.append(
                SealedBatch(id: id, replies: pendingReplies, events: commit.events))
            pendingReplies = []
        } else if !pendingReplies.isEmpty {
            if inFlight.isEmpty {
                for (route, reply) in pendingReplies { sendReply(reply, to: route) }
            } else {
                inFlight[inFlight.count - 1].replies.append(contentsOf: pendingReplies)
            }
            pendingReplies.removeAll(keepingCapacity: true)
        }
    }

    /// Seals what is pending and waits until every batch is durable (or refused): what a replay
    /// needs before it reads the history, and what a shutdown does last.
    func commitEverything() throws {
        try seal()
        try waitForCompletions(until: { inFlight.isEmpty })
    }

    /// Blocks on the pipeline's completions until `isDone` holds.
    func waitForCompletions(until isDone: () -> Bool) throws {
        while !isDone(), standDownReason == nil {
            _ = try completionPoller.poll(timeout: .milliseconds(500))
            try takeCompletions()
        }
    }

    /// Publishes and answers every batch that became durable; refuses everything on a failure.
    /// - Throws: ``BusServiceError`` only when the stored state cannot be read back after a failure.
    func takeCompletions() throws {
        for completion in pipeline.completions.drain() {
            // Completions of batches refused before a restart were already answered.
            guard completion.generation == generation, let head = inFlight.first, head.id == completion.id else {
                continue
            }
            inFlight.removeFirst()
            if let error = completion.error, lease != nil {
                // In a group, another bus may own the state now: refuse, and stand by.
                refuse([head] + inFlight + [SealedBatch(id: 0, replies: pendingReplies, events: [])], after: error)
                inFlight.removeAll()
                pendingReplies.removeAll()
                standDownReason =
                    error.code == .fenced
                    ? "another bus holds the lease (commit fenced)" : "a commit failed: \(error.message)"
                return
            } else if let error = completion.error {
                try refuseEverything(from: head, after: error)
            } else {
                release(head)
            }
        }
    }

    private func release(_ sealed: SealedBatch) {
        for event in sealed.events {
            // A PUB socket drops for a subscriber past its high-water mark; it never blocks.
            _ = try? publisher.trySend(multipart: [Data(event.topic.utf8), event.body])
        }
        for (route, reply) in sealed.replies { sendReply(reply, to: route) }
    }

    /// A failed commit kept nothing of its batch, and every batch after it was built on that
    /// batch's changes, so nothing of any of them may be seen: all their requests (reads included,
    /// which may have shown the changes) are refused, their events dropped, and memory goes back to
    /// exactly what the store holds.
    private func refuseEverything(from failed: SealedBatch, after error: CallStoreError) throws {
        refuse([failed] + inFlight + [SealedBatch(id: 0, replies: pendingReplies, events: [])], after: error)
        inFlight.removeAll()
        pendingReplies.removeAll()
        generation = pipeline.restart()
        do {
            core.restore(from: try store.load())
        } catch {
            logger.critical("state file unreadable after a failed write; stopping", metadata: ["error": "\(error)"])
            throw BusServiceError(
                code: .stateUnavailable, message: "cannot read the state file back", underlying: error)
        }
    }

    /// Answers every request of `batches` with a refusal and drops their events.
    private func refuse(_ batches: [SealedBatch], after error: CallStoreError) {
        let requests = batches.reduce(0) { $0 + $1.replies.count }
        guard requests > 0 else { return }
        let metadata: Logger.Metadata = [
            "bus.batch.requests": "\(requests)", "bus.state": "\(store.location)", "error": "\(error)",
        ]
        if error.code == .fenced {
            // Not a failure of the store: the lease is (or may be) another bus's now.
            logger.notice("requests refused: this bus is standing down", metadata: metadata)
        } else {
            logger.error("batch refused: the store could not be written", metadata: metadata)
        }
        let refusal = BusReply.failure(
            .internal("the state could not be stored; nothing of this request was kept, try again"))
        for sealed in batches {
            for (route, _) in sealed.replies { sendReply(refusal, to: route) }
        }
    }

    /// Standing down: requests not yet sealed are refused (a retry reaches the new active bus), and
    /// batches already committing are awaited: those that the store accepted were fenced by the
    /// lease, so they are durable and answered as usual; the others are refused.
    func finishStandingDown() {
        let unsealed = SealedBatch(id: 0, replies: pendingReplies, events: [])
        refuse([unsealed], after: CallStoreError(code: .fenced, message: "this bus is standing down"))
        pendingReplies.removeAll()
        let reason = standDownReason
        standDownReason = nil
        try? waitForCompletions(until: { inFlight.isEmpty })
        standDownReason = reason
        if !inFlight.isEmpty {
            refuse(inFlight, after: CallStoreError(code: .fenced, message: "this bus is standing down"))
            inFlight.removeAll()
        }
    }
}
