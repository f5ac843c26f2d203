import Calls
import CallsBusClient
import CallsBusMessages
import CallsJSON
import Foundation
import Logging
import Synchronization

extension KamailioAdapter {
    /// Sends one telephony event, again after each back-off while the bus does not answer; logs a refusal.
    func report(_ event: TelephonyEvent, sipTime: Double? = nil) async {
        let request = BusRequest(
            operation: .telephonyEvent, user: configuration.telephonyUser, fields: ["event": event.jsonValue])
        var backoff = configuration.minimumBackoff
        var attempt = 1
        while !Task.isCancelled {
            do {
                let reply = try await client.send(request)
                if let error = reply.error {
                    logger.warning(
                        "The bus refused a telephony event",
                        metadata: [
                            "call.id": "\(event.callId)", "telephony.type": "\(event.type.rawValue)",
                            "bus.statusCode": "\(reply.statusCode)", "reason": "\(error.message)",
                            "attempt": "\(attempt)",
                        ])
                } else if let sipTime {
                    let delay = Date().timeIntervalSince1970 - sipTime
                    logger.debug(
                        "Reported a telephony event",
                        metadata: [
                            "call.id": "\(event.callId)", "telephony.type": "\(event.type.rawValue)",
                            "sip.delayMs": "\(Int(delay * 1000))",
                        ])
                }
                return
            } catch {
                logger.warning(
                    "The bus did not answer; sending the event again",
                    metadata: ["call.id": "\(event.callId)", "error": "\(error)", "retry.after": "\(backoff)"])
                do { try await Task.sleep(for: backoff) } catch { return }
                backoff = min(backoff * 2, configuration.maximumBackoff)
                attempt += 1
            }
        }
    }

    /// The bus's calls that this adapter named (``CallNaming``) on the directory's phone devices.
    func ourBusCalls() async throws -> [BusCall] {
        let reply = try await client.send(BusRequest(operation: .listCalls, user: configuration.observerUser))
        if let error = reply.error { throw error }
        let devices = Set(tracker.withLock { $0.devicesByNumber.values })
        guard case .array(let calls)? = try JSONValue(parsing: reply.frame).objectValue?["calls"] else { return [] }
        return calls.compactMap { call in
            guard let fields = call.objectValue, let id = fields["id"]?.stringValue,
                let state = fields["state"]?.stringValue.flatMap(CallState.init(rawValue:)),
                let parts = CallNaming.parts(of: id), devices.contains(parts.deviceId)
            else { return nil }
            return BusCall(callId: id, deviceId: parts.deviceId, state: state)
        }
    }

    /// Follows every call event (as the observer) and ends the dialog of a call the bus released
    /// while Kamailio still holds it.
    func followBus() async {
        var backoff = configuration.minimumBackoff
        while !Task.isCancelled {
            do {
                let stream = try await client.events(for: configuration.observerUser, prefix: "calls/")
                backoff = configuration.minimumBackoff
                for try await item in stream {
                    // A resync (the history no longer reaches back) is not followed: a release it
                    // hides is found at the next resynchronisation with Kamailio instead.
                    guard case .event(let event) = item else { continue }
                    await noticeBusEvent(event.body)
                }
            } catch {
                if Task.isCancelled { return }
                logger.warning(
                    "Cannot follow the bus's events; retrying",
                    metadata: ["error": "\(error)", "retry.after": "\(backoff)"])
            }
            do { try await Task.sleep(for: backoff) } catch { return }
            backoff = min(backoff * 2, configuration.maximumBackoff)
        }
    }

    /// Reads a call event; a `Released` that the switch did not report ends the dialog.
    func noticeBusEvent(_ body: Data) async {
        guard let call = (try? JSONValue(parsing: body))?.objectValue?["call"]?.objectValue,
            call["state"]?.stringValue == CallState.released.rawValue, let callId = call["id"]?.stringValue,
            let key = tracker.withLock({ $0.busReleased(callId: callId) })
        else { return }
        await end(key, reason: "released on the bus", callId: callId)
    }

    /// Ends a dialog through `dlg.end_dlg`; a failure is logged (Kamailio's `dialog:end` reports the rest).
    func end(_ key: DialogKey, reason: String, callId: String? = nil) async {
        logger.info(
            "Ending a dialog",
            metadata: [
                "kamailio.dialog": "\(key.entry):\(key.id)", "reason": "\(reason)", "call.id": "\(callId ?? "-")",
            ])
        do {
            try await rpc.endDialog(key)
        } catch {
            logger.warning(
                "Kamailio did not end the dialog",
                metadata: ["kamailio.dialog": "\(key.entry):\(key.id)", "error": "\(error)"])
        }
    }
}
