public import CallsJSON

/// A dialog as `dlg.list` shows it: what a resynchronisation compares with the bus.
public struct DialogSnapshot: Sendable, Hashable {
    /// The SIP Call-ID.
    public var sipCallId: String
    /// The dialog's keys.
    public var key: DialogKey
    /// The user part of the INVITE's From.
    public var caller: String
    /// The user part of the INVITE's To.
    public var callee: String
    /// Whether the 200 OK came (Kamailio's states 3 and 4).
    public var isConfirmed: Bool
    /// The number whose re-INVITE holds the call; `nil` when it is not held.
    public var heldBy: String?
    /// The `seq` of the last event Kamailio sent about it.
    public var seq: Int

    /// Creates a snapshot.
    public init(
        sipCallId: String, key: DialogKey, caller: String, callee: String, isConfirmed: Bool, heldBy: String? = nil,
        seq: Int
    ) {
        self.sipCallId = sipCallId
        self.key = key
        self.caller = caller
        self.callee = callee
        self.isConfirmed = isConfirmed
        self.heldBy = heldBy
        self.seq = seq
    }

    /// The live dialogs of a `dlg.list` result (ended ones, state 5, are left out).
    /// - Throws: ``DialogEventError`` when the result is not the list Kamailio sends.
    public static func list(from result: JSONValue) throws(DialogEventError) -> [DialogSnapshot] {
        guard case .array(let entries) = result else { throw DialogEventError(reason: "dlg.list: not an array") }
        var snapshots: [DialogSnapshot] = []
        for entry in entries {
            guard let fields = entry.objectValue, let callId = fields["call-id"]?.stringValue,
                case .number(let entryNumber)? = fields["h_entry"], case .number(let idNumber)? = fields["h_id"],
                case .number(let state)? = fields["state"]
            else { throw DialogEventError(reason: "dlg.list: an entry without call-id, h_entry, h_id or state") }
            guard state < 5 else { continue }
            var variables: [String: String] = [:]
            if case .array(let list)? = fields["variables"] {
                for case .object(let pair) in list {
                    for case (let name, .string(let value)) in pair { variables[name] = value }
                }
            }
            snapshots.append(
                DialogSnapshot(
                    sipCallId: callId, key: DialogKey(entry: Int(entryNumber), id: Int(idNumber)),
                    caller: userPart(fields["from_uri"]?.stringValue), callee: userPart(fields["to_uri"]?.stringValue),
                    isConfirmed: state >= 3, heldBy: variables["held"] == "1" ? variables["heldby"] : nil,
                    seq: variables["evseq"].flatMap { Int($0) } ?? 0
                ))
        }
        return snapshots
    }

    /// The user part of a SIP URI (`sip:5001@host` -> `5001`), or `""`.
    static func userPart(_ uri: String?) -> String {
        guard let uri else { return "" }
        var rest = Substring(uri)
        if let colon = rest.firstIndex(of: ":") { rest = rest[rest.index(after: colon)...] }
        guard let at = rest.firstIndex(of: "@") else { return "" }
        return String(rest[..<at])
    }
}
