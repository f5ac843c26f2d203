import Calls
import CallsLoad
import Foundation

/// `CallRegistry.apply` of a stream of telephony events: each call rings, then is answered.
///
/// The events are built before the clock starts; each round applies them all to a fresh registry,
/// and the median round is reported, which a single slow round (a page fault storm, a neighbour
/// on the machine) does not move.
enum RegistryApplyBenchmark {
    /// What one run measured.
    struct Result: Sendable, Encodable {
        /// Events applied per round.
        var events: Int
        /// Calls created per round.
        var calls: Int
        /// Rounds run.
        var rounds: Int
        /// Events refused in all rounds; 0 unless the stream or the registry is wrong.
        var refused: Int
        /// The median round's duration.
        var medianRoundSeconds: Double
        /// Events per second in the median round.
        var eventsPerSecond: Double
    }

    /// Runs rounds until the scenario's time is up (at least one, at most seven).
    static func run(settings: BenchSettings) -> Result {
        let events = makeEvents(count: settings.registryEvents)
        let now = Date()
        let deadline = MonotonicClock.now() + MonotonicClock.nanoseconds(settings.scenarioSeconds)
        var roundSeconds: [Double] = []
        var refused = 0
        repeat {
            var registry = CallRegistry(directory: BenchFixtures.directory)
            let start = MonotonicClock.now()
            for event in events {
                if case .failure = registry.apply(event, at: now) { refused += 1 }
            }
            roundSeconds.append(MonotonicClock.seconds(from: start, to: MonotonicClock.now()))
        } while MonotonicClock.now() < deadline && roundSeconds.count < 7
        let median = roundSeconds.sorted()[roundSeconds.count / 2]
        return Result(
            events: events.count,
            calls: events.count / 2,
            rounds: roundSeconds.count,
            refused: refused,
            medianRoundSeconds: median,
            eventsPerSecond: Double(events.count) / median
        )
    }

    /// `Ringing` for call `n`, then `Established` for call `n - 50`: about fifty calls ring at once,
    /// and every event is one the state machine accepts.
    private static func makeEvents(count: Int) -> [TelephonyEvent] {
        let calls = count / 2
        let lag = min(50, calls)
        var events: [TelephonyEvent] = []
        events.reserveCapacity(calls * 2)
        func ringing(_ index: Int) -> TelephonyEvent {
            let number = BenchFixtures.callerNumber(forCall: index)
            return TelephonyEvent(
                type: .ringing, callId: "c-\(index)", deviceId: BenchFixtures.device(forCall: index),
                callType: .inbound, participants: [number], ani: number)
        }
        func established(_ index: Int) -> TelephonyEvent {
            TelephonyEvent(type: .established, callId: "c-\(index)", deviceId: BenchFixtures.device(forCall: index))
        }
        for index in 0..<calls {
            events.append(ringing(index))
            if index >= lag { events.append(established(index - lag)) }
        }
        for index in max(0, calls - lag)..<calls { events.append(established(index)) }
        return events
    }
}
