import Calls
import CallsBusClient
import CallsBusMessages
import CallsJSON
import Foundation
import ServiceLifecycle

/// One `calls watch`: subscribe, mirror, print, and stop on `--count`, `--idle-exit` or a signal.
struct WatchRun: Sendable {
    /// Why a watch ended.
    enum Ending: Sendable {
        /// `--count` events were seen.
        case count
        /// `--idle-exit` seconds passed without one.
        case idle
        /// SIGINT or SIGTERM.
        case signal
        /// The subscription ended (the client stopped).
        case streamEnded
    }

    /// Whose visibility the subscription, snapshot and replays follow.
    var user: String
    /// `calls/`, or `calls/<agent>/`.
    var prefix: String
    /// Start with the kept events after this `seq`; `nil` for live from now.
    var after: UInt64?
    /// Stop after this many events.
    var count: Int?
    /// Stop after this many seconds without an event.
    var idleExit: Double?
    /// How events and the summary are shown.
    var printer: WatchPrinter
    /// The device events to show beside the calls'; `nil` for none.
    var devices: DeviceWatch?

    /// Watches until an ending, then prints the summary.
    /// - Throws: ``BusUnavailableError`` or the bus's refusal when the subscription cannot start, or
    ///   when the stream failed (after the summary of what was seen).
    func run(client: CallsBusClient) async throws {
        // Subscribed before its snapshot, like the calls: no device event falls between the two.
        let deviceStream = devices.map { client.deviceTopicEvents(prefix: $0.prefix) }
        // The stream takes its own snapshot; ours comes after it, so the mirror is never older than
        // the stream's start and replayed events it already holds are skipped by seq.
        let stream = try await client.events(for: user, prefix: prefix, after: after)
        let snapshot = try CallsSnapshot(await client.send(BusRequest(operation: .listCalls, user: user)))
        var started =
            "calls: watching \(prefix) as \(user) from seq \(after ?? snapshot.seq) (\(snapshot.calls.count) calls)"
        var deviceFeed: (stream: DeviceTopicStream, start: DeviceMirror)?
        if let devices, let deviceStream {
            let deviceSnapshot = try await devices.snapshot(client: client)
            deviceFeed = (deviceStream, DeviceMirror(snapshot: deviceSnapshot))
            started += "; \(devices.prefix) from deviceSeq \(deviceSnapshot.deviceSeq)"
            started += " (\(deviceSnapshot.devices.count) devices)"
        }
        Output.error(started)
        let activity = ActivityCounter()
        var (state, deviceMirror, ending) = await watch(
            stream, from: WatchState(snapshot: snapshot), devices: deviceFeed, client: client, activity: activity)
        var devicesSeen = deviceMirror ?? deviceFeed?.start
        if ending == .idle, state.failure == nil {
            await catchUp(&state, client: client)
            if let devices, var mirror = devicesSeen {
                await devices.catchUp(&mirror, client: client)
                devicesSeen = mirror
            }
        }
        printer.summary(state, devices: devicesSeen)
        if let failure = state.failure { throw failure }
    }

    private enum ChildResult: Sendable {
        case consumed(WatchState, reachedCount: Bool)
        case devices(DeviceMirror)
        case stop(Ending)
        case cancelled
    }

    private func watch(
        _ stream: BusEventStream, from start: WatchState,
        devices deviceFeed: (stream: DeviceTopicStream, start: DeviceMirror)?, client: CallsBusClient,
        activity: ActivityCounter
    ) async -> (WatchState, DeviceMirror?, Ending) {
        await withTaskGroup(of: ChildResult.self) { group in
            group.addTask { await consume(stream, from: start, activity: activity) }
            if let devices, let deviceFeed {
                group.addTask {
                    .devices(
                        await devices.consume(
                            deviceFeed.stream, from: deviceFeed.start, client: client, activity: activity)
                    )
                }
            }
            if let idleExit {
                group.addTask {
                    do { try await activity.waitForIdleness(seconds: idleExit) } catch { return .cancelled }
                    return .stop(.idle)
                }
            }
            group.addTask {
                do { try await gracefulShutdown() } catch { return .cancelled }
                return .stop(.signal)
            }
            var state = start
            var deviceMirror: DeviceMirror?
            var ending: Ending?
            // The first child to finish decides the ending; the consumer then hands back its state.
            while let result = await group.next() {
                switch result {
                case .consumed(let consumed, let reachedCount):
                    state = consumed
                    ending = ending ?? (reachedCount ? .count : .streamEnded)
                    group.cancelAll()
                case .devices(let mirror):
                    // The device events end with the others; they never decide the ending.
                    deviceMirror = mirror
                case .stop(let stop):
                    ending = ending ?? stop
                    group.cancelAll()
                case .cancelled:
                    break
                }
            }
            return (state, deviceMirror, ending ?? .streamEnded)
        }
    }

    private func consume(_ stream: BusEventStream, from start: WatchState, activity: ActivityCounter) async
        -> ChildResult
    {
        var state = start
        do {
            for try await item in stream {
                activity.bump()
                switch item {
                case .event(let event):
                    let message = try JSONDecoder().decode(EventMessage.self, from: event.body)
                    state.record(message)
                    printer.event(body: event.body, message)
                    if let count, state.events >= count { return .consumed(state, reachedCount: true) }
                case .gap(let afterSeq, let beforeSeq):
                    state.gapsFilled += 1
                    printer.gap(afterSeq: afterSeq, beforeSeq: beforeSeq)
                case .resync(let reply):
                    let snapshot = try CallsSnapshot(reply)
                    state.reload(snapshot)
                    printer.resync(snapshot)
                }
            }
        } catch {
            state.failure = error
        }
        return .consumed(state, reachedCount: false)
    }

    /// Asks the history for events after the last one seen: events lost at the very end of a burst
    /// show no jump in `seq`, because nothing came after them to show it.
    private func catchUp(_ state: inout WatchState, client: CallsBusClient) async {
        var hasMore = true
        var isFirstPage = true
        while hasMore, state.failure == nil {
            hasMore = await catchUpOnePage(&state, client: client, announcingGap: isFirstPage)
            isFirstPage = false
        }
    }

    /// One page of ``catchUp(_:client:)``.
    /// - Returns: whether the history holds more events after this page.
    private func catchUpOnePage(_ state: inout WatchState, client: CallsBusClient, announcingGap: Bool) async
        -> Bool
    {
        do {
            let request = BusRequest(
                operation: .replayEvents, user: user, fields: ["after": .number(Double(state.lastSeq))])
            let reply = try await client.send(request)
            if reply.statusCode == 2 {
                let snapshot = try CallsSnapshot(await client.send(BusRequest(operation: .listCalls, user: user)))
                state.reload(snapshot)
                printer.resync(snapshot)
                return false
            }
            let page = try ReplayPage(reply)
            let events = page.events.filter { $0.topic.isEmpty || $0.topic.hasPrefix(prefix) }
            guard let first = events.first else {
                state.lastSeq = max(state.lastSeq, page.events.last?.seq ?? 0)
                return page.hasMore
            }
            if announcingGap {
                state.gapsFilled += 1
                printer.gap(afterSeq: state.lastSeq, beforeSeq: first.seq)
            }
            for event in events {
                // Printed as it was published: the page gives the body without the replay's topic.
                let message = try JSONDecoder().decode(EventMessage.self, from: event.body)
                printer.event(body: event.body, message)
                state.record(message)
            }
            // Events of other prefixes in the page were seen too: the next page starts after them.
            state.lastSeq = max(state.lastSeq, page.events.last?.seq ?? 0)
            return page.hasMore
        } catch {
            state.failure = error
            return false
        }
    }
}
