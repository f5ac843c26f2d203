import CallsJSON

/// One event of a dialog, as the shipped `kamailio.cfg` sends it over evapi.
public struct DialogEvent: Sendable, Hashable {
    /// What happened to the dialog.
    public enum Kind: String, Sendable, CaseIterable {
        /// The initial INVITE passed the proxy.
        case invite
        /// The 200 OK confirmed the dialog.
        case answered
        /// A re-INVITE offered `sendonly` or `inactive`.
        case hold
        /// A re-INVITE offered `sendrecv` again.
        case retrieve
        /// A BYE, `dlg.end_dlg` or the dialog's timeout ended it.
        case ended
        /// A final failure, a CANCEL or a timeout ended it before an answer.
        case failed
    }

    /// What happened.
    public var kind: Kind
    /// The SIP Call-ID.
    public var sipCallId: String
    /// The user part of the INVITE's From.
    public var caller: String
    /// The user part of the INVITE's To.
    public var callee: String
    /// The user part of the From of the request that caused a hold, retrieve or end.
    public var by: String?
    /// The dialog's keys in Kamailio's table, for `dlg.end_dlg`.
    public var key: DialogKey
    /// 1, 2, 3… per dialog: a repeat has a `seq` already seen.
    public var seq: Int
    /// When Kamailio handled the message, in seconds since 1970.
    public var time: Double?

    /// Creates an event.
    public init(
        kind: Kind, sipCallId: String, caller: String, callee: String, by: String? = nil, key: DialogKey,
        seq: Int, time: Double? = nil
    ) {
        self.kind = kind
        self.sipCallId = sipCallId
        self.caller = caller
        self.callee = callee
        self.by = by
        self.key = key
        self.seq = seq
        self.time = time
    }

    /// Reads one evapi payload.
    /// - Throws: ``DialogEventError`` naming what is missing or wrong.
    public init(json bytes: [UInt8]) throws(DialogEventError) {
        let value: JSONValue
        do {
            value = try JSONValue(parsing: bytes)
        } catch {
            throw DialogEventError(reason: "not JSON: \(error)")
        }
        guard let fields = value.objectValue else { throw DialogEventError(reason: "not a JSON object") }
        func text(_ key: String) throws(DialogEventError) -> String {
            guard let text = fields[key]?.stringValue else { throw DialogEventError(reason: "no string '\(key)'") }
            return text
        }
        func whole(_ key: String) throws(DialogEventError) -> Int {
            guard case .number(let number)? = fields[key], let whole = Int(exactly: number) else {
                throw DialogEventError(reason: "no whole number '\(key)'")
            }
            return whole
        }
        let name = try text("event")
        guard let kind = Kind(rawValue: name) else { throw DialogEventError(reason: "unknown event '\(name)'") }
        self.kind = kind
        sipCallId = try text("callId")
        caller = try text("caller")
        callee = try text("callee")
        by = fields["by"]?.stringValue
        key = DialogKey(entry: try whole("hEntry"), id: try whole("hId"))
        seq = try whole("seq")
        if case .number(let time)? = fields["time"] { self.time = time }
    }
}
