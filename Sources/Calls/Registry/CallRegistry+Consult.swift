public import Foundation

extension CallRegistry {
    /// Where `call` stands in a live consult pair (contract section 2): a live `Consult` call whose
    /// parent is live; `nil` when it is in none.
    public func pairRole(of call: Call) -> ConsultPairRole? {
        guard call.isLive else { return nil }
        if call.callType == .consult, let parentId = call.parentCallId, let parent = self.call(id: parentId),
            parent.isLive
        {
            return .consult(parent: parent)
        }
        for consultId in (consultIdsByParent[call.id] ?? []).sorted() {
            if let consult = self.call(id: consultId), consult.isLive, consult.callType == .consult {
                return .parent(consult: consult)
            }
        }
        return nil
    }

    /// The call's capabilities now, its consult pair considered: what `calls.get` shows.
    public func capabilities(of call: Call) -> [Capability] {
        call.capabilities(in: pairRole(of: call))
    }

    /// The ids of the calls whose capabilities may depend on `call`: its parent and its consult calls.
    func consultRelatives(of call: Call) -> [String] {
        var ids = (consultIdsByParent[call.id] ?? []).sorted()
        if let parentId = call.parentCallId { ids.insert(parentId, at: 0) }
        return ids
    }

    /// Makes a call from a device (`Dial`, contract section 2): a new `Dialing` `Outbound` call with
    /// the destination as its one participant; the device's visibility must have been checked before.
    /// - Returns: the call's event, with its new id as ``AcceptedChange/createdCallId``, or 2 when
    ///   `userData` holds too many keys.
    public mutating func dial(
        from deviceId: String, to phoneNumber: String, userData: [String: String] = [:], at now: Date
    ) -> Result<AcceptedChange, CallsError> {
        guard userData.count <= Call.maximumUserDataKeys else {
            return .failure(.invalidParameter("userData may hold at most \(Call.maximumUserDataKeys) keys"))
        }
        let id = freshCallId()
        let call = Call(
            id: id, deviceId: deviceId, state: .dialing, callType: .outbound, participants: [phoneNumber],
            userData: userData, startTime: now)
        return record(.publish([CallChange(call: call, notification: .statusChange)]), created: id)
    }

    /// A call id from ``makeCallId`` that no call holds.
    mutating func freshCallId() -> String {
        while true {
            let id = makeCallId()
            if call(id: id) == nil { return id }
        }
    }

    /// 32 lowercase hexadecimal characters from a random 128-bit value (contract section 2).
    public static func randomCallId() -> String {
        var generator = SystemRandomNumberGenerator()
        let halves = [generator.next() as UInt64, generator.next() as UInt64]
        return halves.map { half in
            let digits = String(half, radix: 16)
            return String(repeating: "0", count: 16 - digits.count) + digits
        }.joined()
    }

}
