/// Who may make which request and see which call (contract sections 2 and 3).
///
/// The checks run in the contract's order: a user is given (else 1), known in exact case (else 20),
/// its role allows the kind of request (else 5), and the call is visible to it (else 6). A call the
/// user may not see is refused with the same message as a call that does not exist.
public struct AccessPolicy: Sendable {
    /// The principals the policy knows.
    public let directory: Directory

    /// Creates a policy over a directory.
    public init(directory: Directory) {
        self.directory = directory
    }

    /// Checks the user and its role for a kind of request, and returns the principal.
    /// - Parameters:
    ///   - user: the request's `user`; `nil` or empty counts as missing.
    ///   - kind: what the request does.
    /// - Throws: ``CallsError`` with code 1 (no user), 20 (unknown user) or 5 (role not allowed).
    public func authorize(user: String?, for kind: RequestKind) throws(CallsError) -> Principal {
        guard let user, !user.isEmpty else {
            throw .missingParameter("the request has no 'user'")
        }
        guard let principal = directory.principal(id: user) else {
            throw .notAuthenticated("user '\(user)' is not known")
        }
        guard principal.role.allows(kind) else {
            throw .noPermission("user '\(user)' (\(principal.role.rawValue)) may not \(Self.verb(for: kind))")
        }
        return principal
    }

    /// Whether `principal` may see `call`: an admin sees every call, an agent those on its own devices,
    /// a Telephony principal none. `actsForUsers` plays no part here.
    public func isVisible(_ call: Call, to principal: Principal) -> Bool {
        switch principal.role {
        case .contactCenterAdmin: true
        case .agent: directory.owner(ofDevice: call.deviceId) == principal.id
        case .telephony: false
        }
    }

    /// Returns the call with id `id` when it exists and `principal` may see it.
    /// - Parameters:
    ///   - call: the call found under `id`, or `nil`.
    ///   - id: the id the request named.
    ///   - principal: the user, already authorized.
    /// - Throws: ``CallsError`` with code 6, the same for a missing and an invisible call.
    public func visibleCall(_ call: Call?, id: String, to principal: Principal) throws(CallsError) -> Call {
        guard let call, isVisible(call, to: principal) else {
            throw Self.notFound(id: id)
        }
        return call
    }

    /// With CURVE on, checks that a connection admitted as `connection` (its key's principal, `nil`
    /// when its key is no longer admitted) may speak for `principal`: a key speaks for its own
    /// principal only, unless that principal acts for users (the gateway).
    /// - Throws: ``CallsError`` with code 5 otherwise.
    public func checkConnection(_ connection: String?, mayActAs principal: Principal) throws(CallsError) {
        guard let connection else {
            throw .noPermission(
                "this connection's CURVE key is no longer admitted (revoked); reconnect with another key")
        }
        guard connection == principal.id || directory.principal(id: connection)?.actsForUsers == true else {
            throw .noPermission("this connection was admitted as '\(connection)' and may not act as '\(principal.id)'")
        }
    }

    /// Whether, with CURVE on, `principal` may subscribe to the events socket: it sees every call or acts for users.
    public func maySubscribeToAllEvents(_ principal: Principal) -> Bool {
        principal.seesEveryCall || principal.actsForUsers
    }

    /// The refusal for a call that does not exist or may not be seen.
    /// Whether `principal` may see `device`: admins every device, agents their own, Telephony none.
    public func isVisible(_ device: Device, to principal: Principal) -> Bool {
        switch principal.role {
        case .contactCenterAdmin: true
        case .agent: device.ownerId == principal.id
        case .telephony: false
        }
    }

    /// The device if `principal` may see it; otherwise 6, exactly as for a device that does not exist.
    public func visibleDevice(_ device: Device?, id: String, to principal: Principal) throws(CallsError) -> Device {
        guard let device, isVisible(device, to: principal) else {
            throw .notFound("device '\(id)' not found")
        }
        return device
    }

    public static func notFound(id: String) -> CallsError {
        .notFound("call '\(id)' not found")
    }

    private static func verb(for kind: RequestKind) -> String {
        switch kind {
        case .list: "list calls"
        case .get: "read calls"
        case .operate: "operate calls"
        case .report: "report telephony events"
        case .replay: "replay events"
        case .dial: "dial calls"
        case .readDevices: "read devices"
        case .operateDevice: "operate devices"
        case .readUser: "read a user"
        case .operateUser: "change an agent state"
        }
    }
}
