public import Calls
import CallsJSON
public import Foundation

/// Turns stored ``Call``s into the contract's JSON call objects.
///
/// Phone-number enrichment comes in as a closure, so the domain needs no phone-number library:
/// the service passes `PhoneNumberEnricher.participantInfo(for:)`, tests a fake.
public struct CallPresentation: Sendable {
    /// The base of every `uri` and `deviceUri`, without a trailing `/`.
    public let publicBaseURL: String
    private let participantInfo: @Sendable (String) -> ParticipantInfo?

    /// Creates a presentation.
    /// - Parameters:
    ///   - publicBaseURL: where clients reach the gateway, such as `http://127.0.0.1:8080`; trailing `/`s are dropped.
    ///   - participantInfo: the entry for a `+` number, or `nil` when it is not a valid number.
    public init(publicBaseURL: String, participantInfo: @escaping @Sendable (String) -> ParticipantInfo?) {
        var base = Substring(publicBaseURL)
        while base.hasSuffix("/") {
            base = base.dropLast()
        }
        self.publicBaseURL = String(base)
        self.participantInfo = participantInfo
    }

    /// The call as the contract shows it (section 1).
    /// - Parameter capabilities: what the registry allows now, its consult pair considered
    ///   (`CallRegistry.capabilities(of:)`); the call's own when it is in no pair.
    public func resource(for call: Call, capabilities: [Capability]? = nil) -> CallResource {
        let id = Self.pathSegment(call.id)
        let info = call.participants.filter { $0.hasPrefix("+") }.compactMap(participantInfo)
        return CallResource(
            id: call.id,
            uri: callURI(ofId: call.id),
            path: "/calls/\(id)",
            state: call.state,
            capabilities: capabilities ?? call.capabilities,
            deviceUri: "\(publicBaseURL)/api/v2/devices/\(Self.pathSegment(call.deviceId))",
            participants: call.participants,
            ani: call.callType == .inbound ? call.ani : nil,
            participantsInfo: info,
            mute: call.mute,
            callType: call.callType,
            userData: call.userData,
            startTime: call.startTime.map(Timestamp.string(from:)),
            connectedTime: call.connectedTime.map(Timestamp.string(from:)),
            endTime: call.releasedAt.map(Timestamp.string(from:)),
            parentCallUri: call.parentCallId.map(callURI(ofId:)),
            recordingState: call.recordingState
        )
    }

    /// `<publicBaseURL>/api/v2/me/calls/<id>`, the id percent-encoded as a path segment.
    public func callURI(ofId id: String) -> String {
        "\(publicBaseURL)/api/v2/me/calls/\(Self.pathSegment(id))"
    }

    /// The UTF-8 JSON of ``resource(for:capabilities:)``: sorted keys, unescaped `/`, the same bytes for the same call.
    public func encodedJSON(for call: Call, capabilities: [Capability]? = nil) -> Data {
        Self.encode(resource(for: call, capabilities: capabilities))
    }

    /// Encodes a resource as ``encodedJSON(for:)`` does: keys sorted, written by hand because this runs
    /// for every change of every call (`JSONEncoder` costs about ten times as much).
    public static func encode(_ resource: CallResource) -> Data {
        var writer = JSONWriter(capacity: 640)
        writer.beginObject()
        if let ani = resource.ani { writer.string(ani, key: "ani") }
        writer.string(resource.callType.rawValue, key: "callType")
        writer.strings(resource.capabilities.map(\.rawValue), key: "capabilities")
        if let connectedTime = resource.connectedTime { writer.string(connectedTime, key: "connectedTime") }
        writer.string(resource.deviceUri, key: "deviceUri")
        if let endTime = resource.endTime { writer.string(endTime, key: "endTime") }
        writer.string(resource.id, key: "id")
        writer.string(resource.mute.rawValue, key: "mute")
        if let parentCallUri = resource.parentCallUri { writer.string(parentCallUri, key: "parentCallUri") }
        writer.strings(resource.participants, key: "participants")
        if !resource.participantsInfo.isEmpty {
            writer.beginArray("participantsInfo")
            for info in resource.participantsInfo { write(info, to: &writer) }
            writer.endArray()
        }
        writer.string(resource.path, key: "path")
        if let recordingState = resource.recordingState {
            writer.string(recordingState.rawValue, key: "recordingState")
        }
        if let startTime = resource.startTime { writer.string(startTime, key: "startTime") }
        writer.string(resource.state.rawValue, key: "state")
        writer.string(resource.uri, key: "uri")
        if !resource.userData.isEmpty {
            writer.beginObject("userData")
            for key in resource.userData.keys.sorted() { writer.string(resource.userData[key]!, key: key) }
            writer.endObject()
        }
        writer.endObject()
        return writer.data
    }

    private static func write(_ info: ParticipantInfo, to writer: inout JSONWriter) {
        writer.beginObject()
        writer.string(info.e164Digits, key: "E164digits")
        writer.beginObject("country")
        writer.string(info.country.callingCode, key: "callingCode")
        writer.string(info.country.code, key: "code")
        writer.string(info.country.name, key: "name")
        writer.endObject()
        writer.string(info.localPhoneNumber, key: "localPhoneNumber")
        if let location = info.location { writer.string(location, key: "location") }
        writer.endObject()
    }

    /// Percent-encodes what a URI path segment may not hold (`/`, spaces…); ordinary ids are unchanged.
    static func pathSegment(_ text: String) -> String {
        // Ids are nearly always plain: checking the bytes costs far less than Foundation's encoder.
        if text.utf8.allSatisfy(isPlainSegmentByte) { return text }
        return text.addingPercentEncoding(withAllowedCharacters: segmentAllowed) ?? text
    }

    /// Whether `byte` is in ``segmentAllowed``: ASCII letters, digits and `!$&'()*+,-.:=@_~`.
    private static func isPlainSegmentByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        default:
            "!$&'()*+,-.:=@_~".utf8.contains(byte)
        }
    }

    private static let segmentAllowed: CharacterSet = {
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove("/")
        return allowed
    }()
}
