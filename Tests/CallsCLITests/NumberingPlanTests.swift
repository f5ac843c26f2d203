import Calls
import CallsPhoneNumbers
import Testing

@testable import CallsCLI

/// The simulator's numbers are valid numbers of many countries, so calls carry `participantsInfo`.
struct NumberingPlanTests {
    @Test func generatedNumbersEnrichInAtLeastTwelveCountries() {
        var random = SplitMix64(seed: 11)
        let enricher = PhoneNumberEnricher()
        let numbers = (0..<2_000).map { _ in NumberingPlan.number(using: &random) }
        let infos = numbers.compactMap(enricher.participantInfo(for:))
        #expect(Double(infos.count) >= 0.9 * Double(numbers.count), "\(infos.count) of \(numbers.count) valid")
        let countries = Set(infos.map(\.country.code))
        #expect(countries.count >= 12)
        #expect(countries == Set(NumberingPlan.countries.map(\.code)))
    }

    @Test(arguments: NumberingPlan.countries.flatMap(\.templates))
    func eachRangeGivesValidNumbersOfItsCountry(template: String) throws {
        var random = SplitMix64(seed: 5)
        let enricher = PhoneNumberEnricher()
        let country = try #require(NumberingPlan.countries.first { $0.templates.contains(template) })
        let infos = (0..<50).compactMap { _ in
            enricher.participantInfo(for: NumberingPlan.fill(template, using: &random))
        }
        #expect(infos.count >= 45, "\(template): \(infos.count) of 50 valid")
        #expect(infos.allSatisfy { $0.country.code == country.code })
    }

    @Test func theParticipantsOfAPlanEnrich() {
        let plan = PlanGenerator.plan(
            SimulationSettings(
                agents: PlanGeneratorTests.agents, rate: 5, limit: .calls(500), seed: 9, idPrefix: "n-",
                meanCallSeconds: nil))
        let enricher = PhoneNumberEnricher()
        var numbers: [String] = []
        for planned in plan.actions {
            switch planned.action {
            case .telephony(let event): numbers += (event.participants ?? []).filter { $0.hasPrefix("+") }
            case .operation(_, _, .singleStepTransfer(let number)) where number.hasPrefix("+"): numbers.append(number)
            case .operation, .agent: break
            }
        }
        let valid = numbers.filter { enricher.participantInfo(for: $0) != nil }
        #expect(numbers.count > 300)
        #expect(Double(valid.count) >= 0.9 * Double(numbers.count))
    }
}
