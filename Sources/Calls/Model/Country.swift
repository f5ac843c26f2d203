/// The country of a phone number, as the contract's `participantsInfo[].country` shows it.
public struct Country: Sendable, Hashable, Codable {
    /// The English display name of the region (`United States`, `United Kingdom`, `Russia`).
    public var name: String
    /// The ISO 3166-1 alpha-2 region code (`US`).
    public var code: String
    /// The country calling code without `+` (`1`).
    public var callingCode: String

    /// Creates a country from its display name, region code and calling code.
    public init(name: String, code: String, callingCode: String) {
        self.name = name
        self.code = code
        self.callingCode = callingCode
    }
}
