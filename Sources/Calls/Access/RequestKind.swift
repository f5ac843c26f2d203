/// The kinds of request that the access policy tells apart.
public enum RequestKind: String, Sendable, Hashable, CaseIterable {
    /// List the calls the user may see (`calls.list`).
    case list
    /// Read one call (`calls.get`).
    case get
    /// Operate a call (`calls.operate`).
    case operate
    /// Report a telephony event (`telephony.event`).
    case report
    /// Replay past events (`events.replay`).
    case replay
    /// Make a call from a device (`calls.dial`).
    case dial
    /// List or read devices (`devices.list`, `devices.get`).
    case readDevices
    /// Operate a device (`devices.operate`).
    case operateDevice
    /// Read the requesting user (`users.get`).
    case readUser
    /// Change the requesting user's agent state (`users.operate`).
    case operateUser
}
