/// The bus call ids of a SIP dialog: one per device, `<Call-ID>~<deviceId>`.
///
/// A Call-ID may hold any printable character, but a call id becomes part of a topic
/// (`calls/<owner>/<id>`) and of a URL path, so every byte outside `A-Z a-z 0-9 . @ -` is written
/// `_` and two hex digits; `~` never appears in the escaped Call-ID nor in a device id, so the
/// name reads back.
public enum CallNaming {
    /// The bus call id of the dialog `sipCallId` on `deviceId`.
    public static func callId(sipCallId: String, deviceId: String) -> String {
        var escaped = ""
        for byte in sipCallId.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "@"), UInt8(ascii: "-"):
                escaped.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = Array("0123456789abcdef".unicodeScalars)
                escaped.unicodeScalars.append("_")
                escaped.unicodeScalars.append(hex[Int(byte >> 4)])
                escaped.unicodeScalars.append(hex[Int(byte & 0xF)])
            }
        }
        return escaped + "~" + deviceId
    }

    /// The escaped Call-ID and the device of a call id this adapter made; `nil` for any other id.
    public static func parts(of callId: String) -> (escapedSipCallId: String, deviceId: String)? {
        guard let separator = callId.lastIndex(of: "~") else { return nil }
        let sip = String(callId[..<separator])
        let device = String(callId[callId.index(after: separator)...])
        guard !sip.isEmpty, !device.isEmpty else { return nil }
        return (sip, device)
    }
}
