import CallsJSON

/// One message of a request, as far as this server reads it.
struct BayeuxMessage {
    var channel: String?
    /// Echoed in the reply, whatever its type.
    var id: JSONValue?
    var clientId: String?
    var subscription: JSONValue?
    var ext: [String: JSONValue]
    /// The client's `advice.timeout`, in milliseconds.
    var adviceTimeout: Double?

    /// Reads a message; `nil` when it is not a JSON object.
    init?(_ value: JSONValue) {
        guard case .object(let fields) = value else { return nil }
        channel = fields["channel"]?.stringValue
        id = fields["id"]
        clientId = fields["clientId"]?.stringValue
        subscription = fields["subscription"]
        ext = fields["ext"]?.objectValue ?? [:]
        if case .number(let timeout)? = fields["advice"]?.objectValue?["timeout"] { adviceTimeout = timeout }
    }

    /// A whole number that `ext` carries under `key` (`ext.ack`, `ext.replay`).
    func extNumber(_ key: String) -> UInt64? {
        guard case .number(let value)? = ext[key], value >= 0, value < 9.0e15, value.rounded() == value else {
            return nil
        }
        return UInt64(value)
    }

    /// Whether `ext` carries `key: true`.
    func extFlag(_ key: String) -> Bool {
        ext[key] == .bool(true)
    }
}
