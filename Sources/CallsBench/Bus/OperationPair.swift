import CallsJSON
import Foundation

/// Two `calls.operate` requests that make one unit of call-control work: the second goes to the
/// call the first one names (the same call, or the consult call the first one made).
struct OperationPair: Sendable, Encodable {
    /// How the pair is named in the report (`Hold + Retrieve`).
    var name: String
    /// The first request's `operationName`.
    var first: String
    /// The second request's `operationName`.
    var second: String
    /// Whether the second request goes to the call whose id the first reply carries.
    var secondGoesToCreatedCall: Bool
    /// Calls changed by the pair (each change publishes one event).
    var callChanges: Int

    /// `Hold` then `Retrieve` on the same call: single-call operations, two changes of one call.
    static let holdRetrieve = OperationPair(
        name: "Hold + Retrieve", first: "Hold", second: "Retrieve", secondGoesToCreatedCall: false, callChanges: 2)

    /// `InitiateTransfer` (the call -> `Held`, a consult call made) then `CompleteTransfer` on the
    /// consult call (both -> `Released`): two calls changed twice, one of them created.
    static let transfer = OperationPair(
        name: "InitiateTransfer + CompleteTransfer", first: "InitiateTransfer", second: "CompleteTransfer",
        secondGoesToCreatedCall: true, callChanges: 4)

    /// The first request, on `callId`.
    func firstFrame(callId: String, user: String) -> [UInt8] {
        let destination = first == "InitiateTransfer" ? #","destination":{"phoneNumber":"5001"}"# : ""
        return Self.frame(callId: callId, user: user, operation: first, extra: destination)
    }

    /// The second request, on `callId` (from ``secondCallId(reply:firstCallId:)``).
    func secondFrame(callId: String, user: String) -> [UInt8] {
        Self.frame(callId: callId, user: user, operation: second, extra: "")
    }

    /// The call the second request goes to, or `nil` when the first reply refused it (or, for a
    /// transfer, carries no id).
    func secondCallId(reply: Data, firstCallId: String) -> String? {
        guard case .object(let fields)? = try? JSONValue(parsing: reply), fields["statusCode"] == .number(0) else {
            return nil
        }
        return secondGoesToCreatedCall ? fields["id"]?.stringValue : firstCallId
    }

    private static func frame(callId: String, user: String, operation: String, extra: String) -> [UInt8] {
        Array(
            #"{"op":"calls.operate","user":"\#(user)","id":"\#(callId)","operationName":"\#(operation)"\#(extra)}"#
                .utf8)
    }
}
