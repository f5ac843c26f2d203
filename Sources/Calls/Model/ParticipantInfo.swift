/// What a valid `+` number says about a participant: one entry of a call's `participantsInfo`.
public struct ParticipantInfo: Sendable, Hashable, Codable {
    /// The number's country.
    public var country: Country
    /// The geocoder's English description; `nil` when it gives none (the key is then absent).
    public var location: String?
    /// libphonenumber's `NATIONAL` format, with the national prefix (`020 7946 0958`).
    public var localPhoneNumber: String
    /// The `E164` format with its leading `+` (`+442079460958`).
    public var e164Digits: String

    /// Creates an entry from its parts.
    public init(country: Country, location: String?, localPhoneNumber: String, e164Digits: String) {
        self.country = country
        self.location = location
        self.localPhoneNumber = localPhoneNumber
        self.e164Digits = e164Digits
    }

    enum CodingKeys: String, CodingKey {
        case country
        case location
        case localPhoneNumber
        case e164Digits = "E164digits"
    }
}
