/// An operation on a device (`devices.operate`), named as in GWS.
public enum DeviceOperation: String, Sendable, Hashable, CaseIterable {
    /// Turn do-not-disturb on.
    case doNotDisturbOn = "DoNotDisturbOn"
    /// Turn do-not-disturb off.
    case doNotDisturbOff = "DoNotDisturbOff"
}
