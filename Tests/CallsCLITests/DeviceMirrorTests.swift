import Testing

@testable import CallsCLI

/// The watcher's device mirror: which events are old, next, or a jump that calls for a re-read.
struct DeviceMirrorTests {
    private func device(_ id: String, _ state: String = "LoggedOut", dnd: String = "Off") -> DeviceResource {
        DeviceResource(
            id: id, uri: "http://127.0.0.1:8080/api/v2/devices/\(id)", phoneNumber: nil,
            userState: .init(state: state, reason: nil), doNotDisturb: dnd,
            capabilities: [dnd == "Off" ? "DoNotDisturbOn" : "DoNotDisturbOff"])
    }

    @Test func eventsAreOldNextOrAJump() {
        var mirror = DeviceMirror(snapshot: DevicesSnapshot(deviceSeq: 3, devices: [device("a"), device("b")]))
        let old = mirror.apply(.init(deviceSeq: 3, devices: [device("a", "Ready")]))
        #expect(old == .old)
        #expect(mirror.sorted.first?.userState.state == "LoggedOut")
        let next = mirror.apply(.init(deviceSeq: 4, devices: [device("a", "NotReady")]))
        #expect(next == .next)
        let jump = mirror.apply(.init(deviceSeq: 7, devices: [device("b", dnd: "On")]))
        #expect(jump == .jump(from: 4))
        #expect(mirror.events == 2)
        #expect(mirror.sorted.map(\.doNotDisturb) == ["Off", "On"])
        #expect(mirror.deviceSeq == 7)
    }

    @Test func aReloadSaysWhetherTheMirrorHadMissedSomething() {
        var mirror = DeviceMirror(snapshot: DevicesSnapshot(deviceSeq: 1, devices: [device("a")]))
        let same = mirror.reload(DevicesSnapshot(deviceSeq: 5, devices: [device("a")]))
        #expect(!same)
        let changed = mirror.reload(DevicesSnapshot(deviceSeq: 6, devices: [device("a", "Ready")]))
        #expect(changed)
        #expect(mirror.deviceSeq == 6)
        #expect(mirror.sorted.map(\.agentStateText) == ["Ready"])
    }
}
