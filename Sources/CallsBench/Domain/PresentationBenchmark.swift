import Calls
import CallsBusMessages
import CallsLoad
import CallsPhoneNumbers

/// `CallPresentation.encodedJSON` of established calls with one `+` participant: the work the bus
/// does once per change of a call (replies and events then reuse the bytes).
///
/// The enricher is warmed first, as in the running service, where the same caller numbers recur.
enum PresentationBenchmark {
    /// What one run measured.
    struct Result: Sendable, Encodable {
        /// Calls encoded.
        var encodings: Int
        /// Mean time of one encoding.
        var microsecondsPerCall: Double
        /// Mean size of one call's JSON.
        var bytesPerCall: Double
    }

    /// Encodes calls for half the scenario's time.
    static func run(settings: BenchSettings) -> Result {
        let enricher = PhoneNumberEnricher()
        let presentation = CallPresentation(publicBaseURL: "http://127.0.0.1:8080") {
            enricher.participantInfo(for: $0)
        }
        let calls = (0..<1_000).map { BenchFixtures.establishedCall(id: BenchFixtures.preloadedCallId($0), index: $0) }
        for call in calls { _ = presentation.encodedJSON(for: call) }

        let start = MonotonicClock.now()
        let deadline = start + MonotonicClock.nanoseconds(settings.scenarioSeconds / 2)
        var encodings = 0
        var bytes = 0
        var now = start
        repeat {
            let first = encodings % calls.count
            for call in calls[first..<(first + 100)] {
                bytes += presentation.encodedJSON(for: call).count
            }
            encodings += 100
            now = MonotonicClock.now()
        } while now < deadline && encodings < 10_000_000
        return Result(
            encodings: encodings,
            microsecondsPerCall: MonotonicClock.seconds(from: start, to: now) / Double(encodings) * 1e6,
            bytesPerCall: Double(bytes) / Double(encodings)
        )
    }
}
