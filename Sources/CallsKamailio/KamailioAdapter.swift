import Calls
public import CallsBusClient
import CallsBusMessages
import CallsJSON
import Foundation
public import Logging
public import ServiceLifecycle
import Synchronization

/// The `Telephony` principal of a Kamailio proxy: follows its dialog events over evapi and reports
/// them as `telephony.event`s, and ends a dialog through `dlg.end_dlg` when the bus released its
/// call without the switch (a REST `Hangup`).
///
/// Run it in a `ServiceGroup` after its ``CallsBusClient``. It reconnects to Kamailio with back-off
/// and resynchronises (``DialogTracker/resynchronise(dialogs:busCalls:)``) on every connection;
/// a request the bus does not answer is sent again until it answers, so events keep their order.
public final class KamailioAdapter: Service, Sendable {
    /// Where Kamailio is and whom the adapter speaks for.
    public let configuration: KamailioAdapterConfiguration
    let client: CallsBusClient
    let rpc: KamailioRPC
    let logger: Logger
    let tracker: Mutex<DialogTracker>

    /// Creates an adapter.
    /// - Parameters:
    ///   - configuration: Kamailio's addresses and the principals.
    ///   - devicesByNumber: the device of each phone number (the directory's `phoneNumber`s).
    ///   - client: the bus client, run by the same service group.
    ///   - logger: where refusals and reconnections are logged.
    public init(
        configuration: KamailioAdapterConfiguration, devicesByNumber: [String: String], client: CallsBusClient,
        logger: Logger
    ) {
        self.configuration = configuration
        self.client = client
        self.logger = logger
        rpc = KamailioRPC(
            fifoPath: configuration.rpcFIFO, replyDirectory: configuration.rpcReplyDirectory,
            timeout: configuration.rpcTimeout)
        tracker = Mutex(DialogTracker(devicesByNumber: devicesByNumber))
    }

    /// Follows Kamailio and the bus until graceful shutdown or cancellation.
    public func run() async throws {
        await cancelWhenGracefulShutdown {
            await withDiscardingTaskGroup { group in
                group.addTask { await self.followKamailio() }
                group.addTask { await self.followBus() }
            }
        }
    }

    /// Connects to evapi, resynchronises, applies events; on any failure waits and starts again.
    func followKamailio() async {
        var backoff = configuration.minimumBackoff
        let target = "\(configuration.evapiHost):\(configuration.evapiPort)"
        while !Task.isCancelled {
            do {
                try await EvapiConnection.run(
                    host: configuration.evapiHost, port: configuration.evapiPort,
                    connected: {
                        try await self.resynchronise()
                        backoff = self.configuration.minimumBackoff
                    },
                    handle: { payload in await self.handle(payload) })
                logger.warning("Kamailio closed the evapi connection", metadata: ["kamailio.evapi": "\(target)"])
            } catch {
                if Task.isCancelled { return }
                logger.warning(
                    "Kamailio unreachable; retrying",
                    metadata: ["kamailio.evapi": "\(target)", "error": "\(error)", "retry.after": "\(backoff)"])
            }
            do { try await Task.sleep(for: backoff) } catch { return }
            backoff = min(backoff * 2, configuration.maximumBackoff)
        }
    }

    /// Brings the bus to Kamailio's dialogs: `dlg.list`, then the bus's calls, then the difference.
    func resynchronise() async throws {
        let dialogs = try await rpc.listDialogs()
        let busCalls = try await ourBusCalls()
        let plan = tracker.withLock { $0.resynchronise(dialogs: dialogs, busCalls: busCalls) }
        logger.info(
            "Resynchronised with Kamailio",
            metadata: [
                "kamailio.dialogs": "\(dialogs.count)", "bus.calls": "\(busCalls.count)",
                "telephony.events": "\(plan.events.count)", "kamailio.dialogsToEnd": "\(plan.dialogsToEnd.count)",
            ])
        for event in plan.events { await report(event) }
        for key in plan.dialogsToEnd { await end(key, reason: "released on the bus while the adapter was away") }
    }

    /// Applies one evapi payload.
    func handle(_ payload: [UInt8]) async {
        let event: DialogEvent
        do {
            event = try DialogEvent(json: payload)
        } catch {
            // The payload holds phone numbers: personal data, shown at debug only.
            logger.warning(
                "Refused an evapi event", metadata: ["reason": "\(error.reason)", "evapi.bytes": "\(payload.count)"])
            logger.debug(
                "The refused evapi event",
                metadata: ["evapi.payload": "\(String(decoding: payload.prefix(500), as: UTF8.self))"])
            return
        }
        switch tracker.withLock({ $0.apply(event) }) {
        case .report(let events):
            for telephonyEvent in events { await report(telephonyEvent, sipTime: event.time) }
        case .repeated:
            logger.debug(
                "Skipped a dialog event already applied",
                metadata: ["sip.callId": "\(event.sipCallId)", "kamailio.seq": "\(event.seq)"])
        case .notOurs:
            logger.debug("A dialog with no agent's device", metadata: ["sip.callId": "\(event.sipCallId)"])
        }
    }
}
