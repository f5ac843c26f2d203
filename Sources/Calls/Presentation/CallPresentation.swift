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
    public func resource(for call: Call) -> CallResource {
        let id = Self.pathSegment(call.id)
        let info = call.participants.filter { $0.hasPrefix("+") }.compactMap(participantInfo)
        return CallResource(
            id: call.id,
            uri: "\(publicBaseURL)/api/v2/me/calls/\(id)",
            path: "/calls/\(id)",
            state: call.state,
            capabilities: call.capabilities,
            deviceUri: "\(publicBaseURL)/api/v2/devices/\(Self.pathSegment(call.deviceId))",
            participants: call.participants,
            ani: call.callType == .inbound ? call.ani : nil,
            participantsInfo: info,
            mute: call.mute,
            callType: call.callType,
            userData: call.userData
        )
    }

    /// The UTF-8 JSON of ``resource(for:)``: sorted keys, unescaped `/`, the same bytes for the same call.
    public func encodedJSON(for call: Call) -> Data {
        Self.encode(resource(for: call))
    }

    /// Encodes a resource as ``encodedJSON(for:)`` does.
    public static func encode(_ resource: CallResource) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        do {
            return try encoder.encode(resource)
        } catch {
            // Strings, arrays and string dictionaries always encode: failing here is a bug in this file.
            preconditionFailure("CallResource failed to encode: \(error)")
        }
    }

    /// Percent-encodes what a URI path segment may not hold (`/`, spaces…); ordinary ids are unchanged.
    private static func pathSegment(_ text: String) -> String {
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove("/")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}
