import Calls
import CallsPhoneNumbers
import Testing

struct PhoneNumberEnricherTests {
    /// One row of the numbering-plan table, written down from each country's plan rather than from the library.
    struct Case: Sendable, CustomTestStringConvertible {
        var number: String
        var code: String
        var callingCode: String
        var name: String
        var national: String
        var e164: String

        var testDescription: String { "\(code) \(number)" }
    }

    static let countries: [Case] = [
        Case(
            number: "+14155552671", code: "US", callingCode: "1", name: "United States",
            national: "(415) 555-2671", e164: "+14155552671"),
        Case(
            number: "+442079460958", code: "GB", callingCode: "44", name: "United Kingdom",
            national: "020 7946 0958", e164: "+442079460958"),
        Case(
            number: "+4930123456", code: "DE", callingCode: "49", name: "Germany",
            national: "030 123456", e164: "+4930123456"),
        Case(
            number: "+33142685300", code: "FR", callingCode: "33", name: "France",
            national: "01 42 68 53 00", e164: "+33142685300"),
        Case(
            number: "+74951234567", code: "RU", callingCode: "7", name: "Russia",
            national: "8 (495) 123-45-67", e164: "+74951234567"),
        Case(
            number: "+81312345678", code: "JP", callingCode: "81", name: "Japan",
            national: "03-1234-5678", e164: "+81312345678"),
        Case(
            number: "+61291234567", code: "AU", callingCode: "61", name: "Australia",
            national: "(02) 9123 4567", e164: "+61291234567"),
        Case(
            number: "+551123456789", code: "BR", callingCode: "55", name: "Brazil",
            national: "(11) 2345-6789", e164: "+551123456789"),
        Case(
            number: "+919876543210", code: "IN", callingCode: "91", name: "India",
            national: "098765 43210", e164: "+919876543210"),
        // Spain has no national prefix: the national form is the bare nine digits.
        Case(
            number: "+34912345678", code: "ES", callingCode: "34", name: "Spain",
            national: "912 34 56 78", e164: "+34912345678"),
        // Italian fixed lines keep their leading 0 inside the international number.
        Case(
            number: "+390612345678", code: "IT", callingCode: "39", name: "Italy",
            national: "06 1234 5678", e164: "+390612345678"),
        Case(
            number: "+41446681800", code: "CH", callingCode: "41", name: "Switzerland",
            national: "044 668 18 00", e164: "+41446681800"),
        Case(
            number: "+31201234567", code: "NL", callingCode: "31", name: "Netherlands",
            national: "020 123 4567", e164: "+31201234567"),
        // Mexico dropped its 01 national prefix in 2019.
        Case(
            number: "+525512345678", code: "MX", callingCode: "52", name: "Mexico",
            national: "55 1234 5678", e164: "+525512345678"),
        // Swedish convention groups an eight-digit subscriber number 3-3-2 after the area code.
        Case(
            number: "+46812345678", code: "SE", callingCode: "46", name: "Sweden",
            national: "08-123 456 78", e164: "+46812345678"),
        Case(
            number: "+861012345678", code: "CN", callingCode: "86", name: "China",
            national: "010 1234 5678", e164: "+861012345678"),
    ]

    @Test(arguments: countries)
    func describesAValidNumber(_ expected: Case) throws {
        let info = try #require(PhoneNumberEnricher().participantInfo(for: expected.number))
        #expect(info.country == Country(name: expected.name, code: expected.code, callingCode: expected.callingCode))
        #expect(info.localPhoneNumber == expected.national)
        #expect(info.e164Digits == expected.e164)
    }

    @Test(arguments: [
        ("+14155552671", "San Francisco, CA"),
        ("+442079460958", "London"),
        ("+4930123456", "Berlin"),
        ("+33142685300", "Paris"),
        ("+81312345678", "Tokyo"),
    ])
    func locatesAGeographicNumber(number: String, location: String) throws {
        let info = try #require(PhoneNumberEnricher().participantInfo(for: number))
        #expect(info.location == location)
    }

    @Test(arguments: [
        "+1 415-555-2671",
        "+1 (415) 555-2671",
        "+1-415-555-2671",
        "+1.415.555.2671",
    ])
    func acceptsSpacesAndDashes(_ number: String) throws {
        let info = try #require(PhoneNumberEnricher().participantInfo(for: number))
        #expect(info.e164Digits == "+14155552671")
        #expect(info.localPhoneNumber == "(415) 555-2671")
    }

    static let numbersWithoutEntry: [String] = [
        "5001",
        "",
        "+",
        "+1415555",
        "+999123",
        // Valid but non-geographic (region 001): no ISO country code to report.
        "+80012345678",
        "14155552671",
        " +14155552671",
        "+1415555\u{0}2671",
        String(repeating: "x9-+ ", count: 40),
        "+" + String(repeating: "7", count: 199),
        "+" + String(repeating: "€", count: 100),
        "+日本語の電話番号",
        "☎️ 📞 +💥",
        String(repeating: "é", count: 200),
    ]

    @Test(arguments: numbersWithoutEntry)
    func givesNoEntryForAnInvalidNumber(_ number: String) {
        let enricher = PhoneNumberEnricher()
        #expect(enricher.participantInfo(for: number) == nil)
        #expect(enricher.participantInfo(for: number) == nil, "a cached negative result stays negative")
    }

    @Test func cachedLookupMatchesAColdOne() throws {
        let enricher = PhoneNumberEnricher()
        let cold = try #require(enricher.participantInfo(for: "+442079460958"))
        let cached = try #require(enricher.participantInfo(for: "+442079460958"))
        #expect(cached == cold)
        #expect(PhoneNumberEnricher().participantInfo(for: "+442079460958") == cold)
        #expect(cold.location == "London")
    }

    @Test func participantsInfoKeepsOrderAndSkipsNumbersWithoutEntry() {
        let enricher = PhoneNumberEnricher()
        let participants = ["5001", "+442079460958", "", "+14155552671", "+1415555", "+33142685300"]
        let infos = enricher.participantsInfo(for: participants)
        #expect(infos.map(\.e164Digits) == ["+442079460958", "+14155552671", "+33142685300"])
        #expect(enricher.participantsInfo(for: ["5001", "+999123"]).isEmpty)
        #expect(enricher.participantsInfo(for: []).isEmpty)
    }

    @Test func concurrentLookupsAgree() async {
        let enricher = PhoneNumberEnricher()
        let numbers = Self.countries.map(\.number) + Self.numbersWithoutEntry
        let expected = numbers.map { PhoneNumberEnricher().participantInfo(for: $0) }
        await withTaskGroup(of: [ParticipantInfo?].self) { group in
            for _ in 0..<8 {
                group.addTask { numbers.map { enricher.participantInfo(for: $0) } }
            }
            for await results in group {
                #expect(results == expected)
            }
        }
    }
}
