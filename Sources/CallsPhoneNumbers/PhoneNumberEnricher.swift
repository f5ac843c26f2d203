internal import CPhoneNumber
public import Calls
import Synchronization

/// Turns participants' numbers into ``ParticipantInfo`` entries with libphonenumber, its offline geocoder and ICU.
///
/// Results, including "no entry", are cached per input string: a call's participants are looked up on every
/// snapshot and event, and the same few numbers recur.
public final class PhoneNumberEnricher: Sendable {
    // Junk input must not grow memory without limit; dropping everything when full is cheap and rare.
    private static let cacheLimit = 100_000

    private let cache = Mutex<[String: ParticipantInfo?]>([:])

    /// Creates an enricher with an empty cache.
    public init() {}

    /// Describes one number, or returns `nil` when it does not start with `+` or is not a valid number.
    /// - Parameter number: a number as the switch reported it (`+14155552671`, `5001`).
    public func participantInfo(for number: String) -> ParticipantInfo? {
        if let cached = cache.withLock({ $0[number] }) {
            return cached
        }
        // The lookup runs outside the lock so that callers hitting the cache never wait behind a geocoder load.
        let info = Self.describe(number)
        cache.withLock { entries in
            if entries.count >= Self.cacheLimit {
                entries.removeAll(keepingCapacity: true)
            }
            entries[number] = .some(info)
        }
        return info
    }

    /// Describes each participant in order, skipping those without an entry (the contract's `participantsInfo`).
    /// - Parameter participants: the call's participants as the switch reported them.
    public func participantsInfo(for participants: [String]) -> [ParticipantInfo] {
        participants.compactMap { participantInfo(for: $0) }
    }

    private static func describe(_ number: String) -> ParticipantInfo? {
        // A C string stops at the first NUL, so a number hiding one would be judged by its prefix alone.
        guard number.hasPrefix("+"), !number.utf8.contains(0) else {
            return nil
        }
        var raw = cphonenumber_info()
        guard cphonenumber_describe(number, &raw) == 1 else {
            return nil
        }
        let location = string(from: raw.location)
        return ParticipantInfo(
            country: Country(
                name: string(from: raw.country_name),
                code: string(from: raw.region_code),
                callingCode: string(from: raw.calling_code)
            ),
            location: location.isEmpty ? nil : location,
            localPhoneNumber: string(from: raw.national_format),
            e164Digits: string(from: raw.e164)
        )
    }

    /// Reads a NUL-terminated UTF-8 string out of a C `char[N]` field, which Swift imports as a tuple.
    private static func string<Buffer>(from buffer: Buffer) -> String {
        withUnsafeBytes(of: buffer) { bytes in
            String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
        }
    }
}
