import Calls
import CallsBusMessages
import CallsJSON
import Foundation

/// How a watch shows what it sees: one line per event on stdout (text, or the event body as
/// JSON), notices about gaps and resyncs on stderr, and the final summary on stdout.
struct WatchPrinter: Sendable {
    /// Whether events and the summary are JSON lines.
    var isJSON: Bool

    /// Prints one event.
    /// - Parameters:
    ///   - body: the event body as published, printed as it is in JSON mode.
    ///   - message: the same body, decoded.
    func event(body: Data, _ message: EventMessage) {
        if isJSON {
            Output.line(String(decoding: body, as: UTF8.self))
            return
        }
        Output.line(Self.line(for: message, at: Date()))
    }

    /// The text line of an event: time, seq, call, notification, state and mute, participants.
    static func line(for message: EventMessage, at time: Date) -> String {
        let call = message.call
        var line = "\(time.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))) seq=\(message.seq)"
        line += " call=\(call.id) \(message.notificationType.rawValue) state=\(call.state.rawValue)"
        line += " mute=\(call.mute.rawValue)"
        if let digits = message.digits { line += " digits=\(digits)" }
        if !call.userData.isEmpty, message.notificationType == .attachedDataChanged {
            line += " userData=\(call.userDataText)"
        }
        return line + " participants=\(call.participantsText)"
    }

    /// Prints one device event.
    /// - Parameters:
    ///   - body: the event body as published, printed as it is in JSON mode.
    ///   - message: the same body, decoded.
    func deviceEvent(body: Data, _ message: DeviceMirror.Message) {
        if isJSON {
            Output.line(String(decoding: body, as: UTF8.self))
            return
        }
        for line in Self.lines(for: message, at: Date()) { Output.line(line) }
    }

    /// The text line of a device event: time, deviceSeq, device, agent state (and reason), do-not-disturb.
    static func lines(for message: DeviceMirror.Message, at time: Date) -> [String] {
        let stamp = time.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
        return message.devices.map { device in
            var line = "\(stamp) deviceSeq=\(message.deviceSeq) device=\(device.id)"
            line += " userState=\(device.userState.state)"
            if let reason = device.userState.reason { line += " reason=\(reason)" }
            return line + " dnd=\(device.doNotDisturb)"
        }
    }

    /// Says that device events were missed and `devices.list` was read again.
    /// - Parameters:
    ///   - after: the last `deviceSeq` the mirror held.
    ///   - next: the `deviceSeq` that arrived after the jump; `nil` when the final re-read found the loss.
    func deviceGap(after: UInt64, next: UInt64?, _ snapshot: DevicesSnapshot) {
        Output.error(
            "device gap: device events after deviceSeq \(after) were missed"
                + (next.map { " (next was \($0))" } ?? "") + "; re-read devices.list (deviceSeq \(snapshot.deviceSeq), "
                + "\(Self.count(snapshot.devices.count, "device")))")
    }

    /// Says that events were lost and are being filled in from the history.
    func gap(afterSeq: UInt64, beforeSeq: UInt64) {
        Output.error(
            "gap: events after seq \(afterSeq) were missed (next was \(beforeSeq)); filled from events.replay")
    }

    /// Says that the history no longer reached back and the mirror was reloaded.
    func resync(_ snapshot: CallsSnapshot) {
        Output.error(
            "resync: the history no longer holds the missed events; mirror reloaded from calls.list"
                + " (seq \(snapshot.seq), \(snapshot.calls.count) calls)")
    }

    /// Prints the final summary: counts, the mirror's devices when they were watched, then the
    /// mirror's calls sorted by id.
    func summary(_ state: WatchState, devices: DeviceMirror?) {
        let calls = state.mirror.states
        if isJSON {
            let entries: [JSONValue] = calls.map {
                .object(["id": .string($0.id), "state": .string($0.state.rawValue)])
            }
            var summary: [String: JSONValue] = [
                "events": .number(Double(state.events)), "gapsFilled": .number(Double(state.gapsFilled)),
                "resyncs": .number(Double(state.resyncs)), "calls": .array(entries),
            ]
            if let devices {
                summary["deviceEvents"] = .number(Double(devices.events))
                summary["deviceRereads"] = .number(Double(devices.rereads))
                summary["devices"] = .array(
                    devices.sorted.map { device in
                        .object([
                            "id": .string(device.id), "userState": .string(device.agentStateText),
                            "doNotDisturb": .string(device.doNotDisturb),
                        ])
                    })
            }
            var writer = JSONWriter()
            writer.value(.object(["summary": .object(summary)]))
            Output.line(String(decoding: writer.data, as: UTF8.self))
            return
        }
        if let devices {
            // Before the calls' summary, whose table runs to the end of the output.
            Output.line(
                "devices: \(Self.count(devices.events, "device event")) seen, \(Self.count(devices.rereads, "re-read")),"
                    + " \(Self.count(devices.sorted.count, "device")) in the mirror")
            for line in DeviceResource.table(devices.sorted).lines { Output.line("  " + line) }
        }
        Output.line(
            "summary: \(Self.count(state.events, "event")) seen, \(Self.count(state.gapsFilled, "gap")) filled,"
                + " \(Self.count(state.resyncs, "resync")), \(Self.count(calls.count, "call")) in the mirror")
        var table = TextTable(header: ["ID", "STATE"])
        table.rows = calls.map { [$0.id, $0.state.rawValue] }
        for line in table.lines { Output.line("  " + line) }
    }

    /// `1 call`, `2 calls`.
    private static func count(_ number: Int, _ noun: String) -> String {
        "\(number) \(noun)\(number == 1 ? "" : "s")"
    }
}
