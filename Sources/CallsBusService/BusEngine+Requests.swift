import Calls
import CallsBusMessages
import CallsStore
import Foundation
import Logging
import ZMQ

extension BusEngine {
    /// The one reply for a request body, whatever its frames hold; `connection` is the `User-Id` a
    /// CURVE client was admitted as.
    func reply(to envelope: RequestEnvelope, connection: String?) -> Data {
        let body = envelope.body
        do throws(CallsError) {
            guard envelope.bodyCount == 1 else {
                throw body.isEmpty
                    ? CallsError.missingParameter("the request is empty: send one frame of JSON")
                    : CallsError.invalidParameter("a request is exactly one frame of JSON, not \(envelope.bodyCount)")
            }
            guard body[0].count <= configuration.maxRequestSize else {
                throw CallsError.invalidParameter("a request may be at most \(configuration.maxRequestSize / 1024) KiB")
            }
            let request = try BusRequest(frame: body[0].data)
            logger.debug("request", metadata: ["bus.request.kind": "\(request.operation.rawValue)"])
            return try respond(to: request, connection: connection)
        } catch {
            logger.debug("request refused", metadata: ["bus.status": "\(error.code.statusCode)"])
            return BusReply.failure(error)
        }
    }

    private func respond(to request: BusRequest, connection: String?) throws(CallsError) -> Data {
        let principal = try policy.authorize(user: request.user, for: request.operation.requestKind)
        if let gate {
            // Looked up for every request, so a key revoked since the connection opened is refused.
            try policy.checkConnection(gate.principal(ofConnection: connection), mayActAs: principal)
        }
        switch request.operation {
        case .listCalls:
            let calls = registry.calls(visibleTo: principal)
            return BusReply.calls(seq: registry.seq, calls.map(encodedJSON(for:)))
        case .getCall:
            let id = try request.requiredString("id")
            let call = try policy.visibleCall(registry.call(id: id), id: id, to: principal)
            return BusReply.call(encodedJSON(for: call))
        case .operateCall:
            let id = try request.requiredString("id")
            _ = try policy.visibleCall(registry.call(id: id), id: id, to: principal)
            let operation = try CallOperation(
                operationName: try request.optionalString("operationName"),
                parameters: request.fields
            )
            let change = try registry.perform(operation, callId: id, at: Date()).get()
            record(change)
            return change.createdCallId.map(BusReply.created(callId:)) ?? BusReply.success
        case .telephonyEvent:
            let event = try TelephonyEvent(json: request.fields["event"])
            try record(registry.apply(event, at: Date()).get())
            return BusReply.success
        case .replayEvents:
            return try replay(after: request.requiredCount("after"), for: principal)
        }
    }

    /// Journals an accepted change and queues its events; both go out after the batch commits.
    private func record(_ change: AcceptedChange) {
        for event in change.events { record(event) }
    }

    private func record(_ event: CallEvent) {
        let json = presentation.encodedJSON(for: event.call, capabilities: event.capabilities)
        encodedCalls[event.call.id] = json
        let topic = EventTopic.topic(ownerId: event.ownerId, callId: event.call.id)
        let body = EventMessage.body(for: event, callJSON: json)
        batch.append(
            StoredEvent(seq: event.seq, ownerId: event.ownerId, ownerSeq: event.ownerSeq, topic: topic, body: body),
            call: event.call
        )
        pendingEvents.append((topic, body))
        logger.debug(
            "call changed",
            metadata: [
                "call.id": "\(event.call.id)", "call.state": "\(event.call.state.rawValue)", "bus.seq": "\(event.seq)",
            ]
        )
    }

    private func replay(after seq: UInt64, for principal: Principal) throws(CallsError) -> Data {
        guard principal.role != .telephony else { return BusReply.events([]) }
        do {
            // The store must hold every applied event before it can be asked for them, and
            // committing them may trim the history, so the oldest kept event is known only after.
            try commitEverything()
        } catch let error as BusServiceError {
            // The stored state could not be read back after a failed commit: the loop stops.
            mustStop = error
            throw .internal("the event history could not be read", underlying: error)
        } catch {
            logger.error("replay failed", metadata: ["error": "\(error)"])
            throw .internal("the event history could not be read", underlying: error)
        }
        if seq < registry.seq, let oldest = oldestRetainedSeq, seq + 1 < oldest {
            throw .invalidParameter(
                "events after \(seq) are no longer kept (oldest kept: \(oldest)); resync with calls.list"
            )
        }
        do {
            let owner = principal.seesEveryCall ? nil : principal.id
            // One page: a replay from 0 would otherwise build a reply of the whole history on the
            // bus thread while every other request waits.
            let page = configuration.maxReplayEvents
            var events = try store.events(after: seq, owner: owner, limit: page + 1)
            let more = events.count > page
            if more { events.removeLast() }
            return BusReply.events(events.map { EventMessage.replayed(topic: $0.topic, body: $0.body) }, more: more)
        } catch {
            logger.error("replay failed", metadata: ["error": "\(error)"])
            throw .internal("the event history could not be read", underlying: error)
        }
    }

    /// The call's JSON, encoded once per change and reused by every read.
    func encodedJSON(for call: Call) -> Data {
        if let json = encodedCalls[call.id] { return json }
        let json = presentation.encodedJSON(for: call, capabilities: registry.capabilities(of: call))
        encodedCalls[call.id] = json
        return json
    }
}
