/// The directory's devices with their do-not-disturb settings, the agents' states, and the
/// device event counter (contract section 8).
///
/// Not thread-safe: one loop owns it. Each change numbers one ``DeviceEvent`` per changed device
/// with the next ``deviceSeq``; a request that changes nothing numbers none.
public struct DeviceRegistry: Sendable {
    /// Who owns which device, and the devices' numbers.
    public let directory: Directory
    /// The number of the last device event; 0 before the first.
    public private(set) var deviceSeq: UInt64
    /// Per principal id, its agent state; absent means `LoggedOut`.
    public private(set) var agentStates: [String: AgentState]
    /// Per device id, its do-not-disturb setting; absent means `Off`.
    public private(set) var doNotDisturb: [String: DoNotDisturb]

    /// Creates a registry, or restores one from what a store kept; states of principals and devices
    /// no longer in the directory are ignored.
    public init(
        directory: Directory,
        deviceSeq: UInt64 = 0,
        agentStates: [String: AgentState] = [:],
        doNotDisturb: [String: DoNotDisturb] = [:]
    ) {
        self.directory = directory
        self.deviceSeq = deviceSeq
        self.agentStates = agentStates.filter { directory.principal(id: $0.key) != nil && $0.value != .loggedOut }
        self.doNotDisturb = doNotDisturb.filter { directory.owner(ofDevice: $0.key) != nil && $0.value == .on }
    }

    /// The device with this id, if the directory names it.
    public func device(id: String) -> Device? {
        guard let owner = directory.owner(ofDevice: id) else { return nil }
        return Device(
            id: id,
            phoneNumber: directory.phoneNumber(ofDevice: id),
            ownerId: owner,
            userState: agentState(of: owner),
            doNotDisturb: doNotDisturb[id] ?? .off
        )
    }

    /// The devices `principal` may see, sorted by id: all for an admin, its own for an agent, none for Telephony.
    public func devices(visibleTo principal: Principal) -> [Device] {
        switch principal.role {
        case .contactCenterAdmin: directory.deviceIds.compactMap(device(id:))
        case .agent: principal.devices.sorted().compactMap(device(id:))
        case .telephony: []
        }
    }

    /// The agent state of `userId`.
    public func agentState(of userId: String) -> AgentState {
        agentStates[userId] ?? .loggedOut
    }

    /// Operates a device whose visibility was checked before.
    /// - Returns: its event, or 6 for a device the directory does not name and 2 for an operation not
    ///   in its capabilities.
    public mutating func perform(_ operation: DeviceOperation, deviceId: String) -> Result<[DeviceEvent], CallsError> {
        guard var device = device(id: deviceId) else { return .failure(.notFound("device '\(deviceId)' not found")) }
        guard device.capabilities.contains(operation) else {
            return .failure(
                .invalidParameter(
                    "\(operation.rawValue) is not allowed on device '\(deviceId)' (do-not-disturb is already "
                        + "\(device.doNotDisturb.rawValue))"))
        }
        device.doNotDisturb = operation == .doNotDisturbOn ? .on : .off
        doNotDisturb[deviceId] = device.doNotDisturb == .on ? .on : nil
        return .success([number(device)])
    }

    /// Changes `userId`'s agent state; every device the user owns gets an event when it changed.
    /// - Returns: the events (none when nothing changed, or when the user owns no device), or 2.
    public mutating func perform(_ operation: UserOperation, userId: String) -> Result<[DeviceEvent], CallsError> {
        let current = agentState(of: userId)
        switch operation.next(after: current) {
        case .failure(let error):
            return .failure(error)
        case .success(let next):
            guard next != current else { return .success([]) }
            agentStates[userId] = next == .loggedOut ? nil : next
            let owned = directory.principal(id: userId)?.devices.sorted() ?? []
            return .success(owned.compactMap(device(id:)).map { number($0) })
        }
    }

    private mutating func number(_ device: Device) -> DeviceEvent {
        deviceSeq += 1
        return DeviceEvent(
            deviceSeq: deviceSeq, ownerId: device.ownerId ?? CallRegistry.unownedOwnerId, device: device)
    }
}
