import CallsBusClient
import CallsBusMessages
import Foundation

/// The device half of a `calls watch`: device events printed as they come, and `devices.list`
/// read again whenever one may have been missed (device events have no replay).
struct DeviceWatch: Sendable {
    /// Whose visibility `devices.list` follows.
    var user: String
    /// `devices/`, or `devices/<agent>/`.
    var prefix: String
    /// How events and notices are shown.
    var printer: WatchPrinter

    /// Whether the subscription sees every device's events, so that any jump in `deviceSeq` is a miss.
    var isEveryDevice: Bool {
        prefix == EventTopic.allDevices
    }

    /// The devices now; read after subscribing, so that no event falls between the two.
    /// - Throws: the bus's refusal, or ``CallsBusClient/BusUnavailableError``.
    func snapshot(client: CallsBusClient) async throws -> DevicesSnapshot {
        try DevicesSnapshot(await client.send(BusRequest(operation: .listDevices, user: user)))
    }

    /// Prints the stream's events until it ends or the task is cancelled.
    /// - Returns: the mirror as the events left it.
    func consume(
        _ stream: DeviceTopicStream, from start: DeviceMirror, client: CallsBusClient, activity: ActivityCounter
    ) async -> DeviceMirror {
        var mirror = start
        do {
            for await item in stream {
                activity.bump()
                switch item {
                case .event(_, let body):
                    let message = try JSONDecoder().decode(DeviceMirror.Message.self, from: body)
                    let outcome = mirror.apply(message)
                    guard outcome != .old else { continue }
                    printer.deviceEvent(body: body, message)
                    if case .jump(let from) = outcome {
                        try await reread(&mirror, client: client, jump: (from, message.deviceSeq))
                    }
                case .joinCheck:
                    // An event published while the subscription was still on its way may be lost
                    // unseen: take the devices as they are now, but keep the mirror's deviceSeq, so
                    // that events already on their way are still printed.
                    mirror.refresh(try await snapshot(client: client))
                }
            }
        } catch {
            Output.error("calls: device events stopped: \(error)")
        }
        return mirror
    }

    /// Reads `devices.list` again after a jump in `deviceSeq`, and says so: always when every device
    /// is watched, else only when the list differs from the mirror (one owner's events skip the
    /// other owners' numbers).
    private func reread(
        _ mirror: inout DeviceMirror, client: CallsBusClient, jump: (from: UInt64, to: UInt64)
    ) async throws {
        let snapshot = try await self.snapshot(client: client)
        let differed = mirror.reload(snapshot)
        guard differed || isEveryDevice else { return }
        mirror.rereads += 1
        printer.deviceGap(after: jump.from, next: jump.to, snapshot)
    }

    /// Reads `devices.list` once more at the end of a watch that went idle: events lost at the very
    /// end of a burst show no jump, because nothing came after them to show it.
    func catchUp(_ mirror: inout DeviceMirror, client: CallsBusClient) async {
        do {
            let snapshot = try await self.snapshot(client: client)
            let last = mirror.deviceSeq
            let differed = mirror.reload(snapshot)
            guard differed || (isEveryDevice && snapshot.deviceSeq > last) else { return }
            mirror.rereads += 1
            printer.deviceGap(after: last, next: nil, snapshot)
        } catch {
            Output.error("calls: devices.list failed: \(error)")
        }
    }
}
