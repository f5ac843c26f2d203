/// Phone numbers from real numbering plans, for the simulator's callers and destinations.
///
/// Each template is a geographic or mobile range of one country written as an E.164 number in
/// which `N` stands for a digit 2-9 and `#` for any digit: ranges that libphonenumber holds valid,
/// so that the calls' `participantsInfo` names real countries and places.
enum NumberingPlan {
    /// One country's templates and how often its numbers come up.
    struct Country: Sendable {
        /// The ISO 3166-1 alpha-2 code the numbers enrich to.
        var code: String
        /// The relative share of numbers from this country.
        var weight: Double
        /// The ranges.
        var templates: [String]
    }

    /// The countries: North America weighs most, as on a North American contact center's trunks.
    static let countries: [Country] = [
        Country(code: "US", weight: 6, templates: ["+1212N######", "+1415N######", "+1312N######", "+1617N######"]),
        Country(code: "CA", weight: 2, templates: ["+1416N######", "+1604N######", "+1514N######"]),
        Country(
            code: "GB", weight: 2, templates: ["+44207#######", "+44161N######", "+447400######", "+447900######"]),
        Country(code: "FR", weight: 1.5, templates: ["+331N#######", "+334N#######", "+3361#######", "+3367#######"]),
        Country(code: "DE", weight: 1.5, templates: ["+4930N#######", "+4989N######", "+49151########"]),
        Country(code: "ES", weight: 1, templates: ["+3491N######", "+3493N######", "+346N#######"]),
        Country(code: "IT", weight: 1, templates: ["+3906N#######", "+3902N#######", "+39347#######"]),
        Country(code: "NL", weight: 1, templates: ["+3120N######", "+3161#######"]),
        Country(code: "BR", weight: 1, templates: ["+55113#######", "+55119########"]),
        Country(code: "JP", weight: 1, templates: ["+813N#######", "+816N#######"]),
        Country(code: "AU", weight: 1, templates: ["+6129#######", "+6141#######"]),
        Country(code: "IN", weight: 1, templates: ["+9198########", "+91222#######"]),
        Country(code: "MX", weight: 1, templates: ["+5255N#######"]),
        Country(code: "RU", weight: 0.8, templates: ["+7495N######", "+7812N######", "+7916#######"]),
        Country(code: "ZA", weight: 0.6, templates: ["+2721N######", "+2711N######"]),
        Country(code: "SE", weight: 0.6, templates: ["+468N######"]),
        Country(code: "CH", weight: 0.6, templates: ["+4144N######", "+4122N######"]),
        Country(code: "PL", weight: 0.6, templates: ["+4822N######"]),
        Country(code: "AR", weight: 0.6, templates: ["+54114#######"]),
        Country(code: "KR", weight: 0.6, templates: ["+822N#######"]),
        Country(code: "IE", weight: 0.6, templates: ["+3531N######"]),
        Country(code: "SG", weight: 0.6, templates: ["+656N######"]),
    ]

    private static let weights = countries.map(\.weight)

    /// A number drawn from a country chosen by weight, then one of its ranges.
    static func number(using random: inout SplitMix64) -> String {
        let country = countries[random.weightedIndex(weights)]
        return fill(random.pick(country.templates), using: &random)
    }

    /// `template` with its `N` and `#` placeholders replaced by random digits.
    static func fill(_ template: String, using random: inout SplitMix64) -> String {
        var number = ""
        number.reserveCapacity(template.utf8.count)
        for character in template {
            switch character {
            case "N": number.append(Character(String(2 + random.index(below: 8))))
            case "#": number.append(Character(String(random.index(below: 10))))
            default: number.append(character)
            }
        }
        return number
    }
}
