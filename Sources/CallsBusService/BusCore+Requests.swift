import Calls
import CallsBusMessages
import CallsStore
import Foundation
import Logging

extension BusCore {
    func respond(
        to request: BusRequest, connection: Connection, makeDurable: () throws -> Void
    ) throws(CallsError) -> Data {
        let principal = try policy.authorize(user: request.user, for: request.operation.requestKind)
        if case .curve(let connectionPrincipal) = connection {
            // Looked up for every request by the engine, so a key revoked since the connection opened is refused.
            try policy.checkConnection(connectionPrincipal, mayActAs: principal)
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
            return record(try registry.perform(operation, callId: id, at: Date()).get())
        case .telephonyEvent:
            let event = try TelephonyEvent(json: request.fields["event"])
            return record(try registry.apply(event, at: Date()).get())
        case .replayEvents:
            return try replay(after: request.requiredCount("after"), for: principal, makeDurable: makeDurable)
        case .dial:
            return try dial(request, by: principal)
        case .listDevices, .getDevice, .operateDevice, .getUser, .operateUser:
            return try respondAboutDevices(to: request, by: principal)
        }
    }

    /// Journals every event of an accepted change, in order, and queues them for publishing.
    /// - Returns: the success reply, with the id of a call the change created.
    func record(_ change: AcceptedChange) -> Data {
        for event in change.events { record(event) }
        return change.createdCallId.map(BusReply.created(callId:)) ?? BusReply.success
    }

    private func record(_ event: CallEvent) {
        let json = presentation.encodedJSON(for: event.call, capabilities: event.capabilities)
        encodedCalls[event.call.id] = json
        let topic = EventTopic.topic(ownerId: event.ownerId, callId: event.call.id)
        let body = EventMessage.body(for: event, callJSON: json)
        pending.batch.append(
            StoredEvent(seq: event.seq, ownerId: event.ownerId, ownerSeq: event.ownerSeq, topic: topic, body: body),
            call: event.call
        )
        pending.events.append(Event(topic: topic, body: body))
        logger.debug(
            "call changed",
            metadata: [
                "call.id": "\(event.call.id)", "call.state": "\(event.call.state.rawValue)", "bus.seq": "\(event.seq)",
            ]
        )
    }

    private func replay(
        after seq: UInt64, for principal: Principal, makeDurable: () throws -> Void
    ) throws(CallsError) -> Data {
        guard principal.role != .telephony else { return BusReply.events([]) }
        do {
            // The store must hold every applied event before it can be asked for them, and
            // committing them may trim the history, so the oldest kept event is known only after.
            try makeDurable()
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
