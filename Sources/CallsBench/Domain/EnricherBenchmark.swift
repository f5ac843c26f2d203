import Calls
import CallsLoad
import CallsPhoneNumbers

/// `PhoneNumberEnricher` lookups: cold (each number seen for the first time, so libphonenumber
/// parses, validates, formats and geocodes it) against cached (the same numbers again).
///
/// libphonenumber loads its metadata and each country's geocoding data on first use; a throwaway
/// enricher looks up one number per country first, so "cold" measures a new number, not a new
/// library.
enum EnricherBenchmark {
    /// What one run measured.
    struct Result: Sendable, Encodable {
        /// Distinct numbers looked up cold.
        var coldLookups: Int
        /// How many of them were valid numbers (an entry came back).
        var validNumbers: Int
        /// Mean time of a cold lookup.
        var coldMicrosecondsPerLookup: Double
        /// Cached lookups made.
        var cachedLookups: Int
        /// Mean time of a cached lookup.
        var cachedMicrosecondsPerLookup: Double
        /// cold / cached.
        var ratio: Double
        /// Whether the cache gave an entry for exactly the numbers that had one when cold.
        var cacheAgreed: Bool
    }

    /// Looks numbers up cold for at most half the scenario's time, then cached for the other half.
    static func run(settings: BenchSettings) -> Result {
        let numbers = makeNumbers(count: settings.enricherNumbers)
        let warmUp = PhoneNumberEnricher()
        for prefix in countryPrefixes { _ = warmUp.participantInfo(for: prefix.number(0)) }

        let enricher = PhoneNumberEnricher()
        let half = MonotonicClock.nanoseconds(settings.scenarioSeconds / 2)
        var start = MonotonicClock.now()
        var cold = 0
        var valid = 0
        while cold < numbers.count && (cold % 64 != 0 || MonotonicClock.now() - start < half) {
            if enricher.participantInfo(for: numbers[cold]) != nil { valid += 1 }
            cold += 1
        }
        let coldSeconds = MonotonicClock.seconds(from: start, to: MonotonicClock.now())

        start = MonotonicClock.now()
        var cached = 0
        var cachedValid = 0
        var now = start
        repeat {
            for index in 0..<cold where enricher.participantInfo(for: numbers[index]) != nil { cachedValid += 1 }
            cached += cold
            now = MonotonicClock.now()
        } while now - start < half && cached < 50_000_000
        let cachedSeconds = MonotonicClock.seconds(from: start, to: now)

        let coldPer = coldSeconds / Double(cold) * 1e6
        let cachedPer = cachedSeconds / Double(cached) * 1e6
        return Result(
            coldLookups: cold, validNumbers: valid, coldMicrosecondsPerLookup: coldPer,
            cachedLookups: cached, cachedMicrosecondsPerLookup: cachedPer, ratio: coldPer / cachedPer,
            cacheAgreed: cachedValid == valid * (cached / max(cold, 1)))
    }

    /// A country's numbering: a fixed prefix and how many random digits follow it.
    private struct NumberPrefix {
        var prefix: String
        var digits: Int

        func number(_ seed: UInt64) -> String {
            var value = SeedMixer.mix(seed)
            var text = prefix
            for _ in 0..<digits {
                text.append(Character(Unicode.Scalar(UInt8(48 + value % 10))))
                value /= 10
            }
            return text
        }
    }

    /// Geographic numbers of a few countries: New York, San Francisco, Boston, London, Paris,
    /// Berlin, Moscow and Sydney, so the geocoder answers with real places.
    private static let countryPrefixes = [
        NumberPrefix(prefix: "+1212", digits: 7), NumberPrefix(prefix: "+1415", digits: 7),
        NumberPrefix(prefix: "+1617", digits: 7), NumberPrefix(prefix: "+44207", digits: 7),
        NumberPrefix(prefix: "+331", digits: 8), NumberPrefix(prefix: "+4930", digits: 8),
        NumberPrefix(prefix: "+7495", digits: 7), NumberPrefix(prefix: "+6129", digits: 7),
    ]

    /// `count` distinct numbers, cycling through the countries.
    private static func makeNumbers(count: Int) -> [String] {
        var seen = Set<String>()
        var numbers: [String] = []
        var seed: UInt64 = 1
        while numbers.count < count {
            let number = countryPrefixes[numbers.count % countryPrefixes.count].number(seed)
            seed += 1
            if seen.insert(number).inserted { numbers.append(number) }
        }
        return numbers
    }
}
