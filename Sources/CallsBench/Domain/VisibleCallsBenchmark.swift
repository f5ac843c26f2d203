import Calls
import CallsLoad

/// An agent's `calls(visibleTo:)` in a small and in a large registry, where the agent owns the
/// same ten calls: the cost of a list should follow the agent's calls, not everyone's.
///
/// The two sizes are measured in alternating slices, so that drift of the machine's speed during
/// the run (frequency, neighbours) affects both alike; the median slice of each is compared.
enum VisibleCallsBenchmark {
    /// What one run measured.
    struct Result: Sendable, Encodable {
        /// Calls in the small registry.
        var smallTotal: Int
        /// Calls in the large registry.
        var largeTotal: Int
        /// Calls the agent owns, in both.
        var agentCalls: Int
        /// Median time of one list, small registry.
        var smallNanosecondsPerList: Double
        /// Median time of one list, large registry.
        var largeNanosecondsPerList: Double
        /// large / small.
        var ratio: Double
        /// Lists made in all.
        var lists: Int
        /// Whether every list held exactly the agent's own calls.
        var listsWereExact: Bool
    }

    /// The goal: a list at 10,000 calls costs less than 1.5 times one at 100.
    static let ratioGoal = 1.5
    private static let ownedCalls = 10
    private static let slices = 10

    /// Measures both sizes for the scenario's time in all.
    static func run(settings: BenchSettings) -> Result {
        let agent = BenchFixtures.directory.principal(id: BenchFixtures.agentId(0))!
        let small = registry(total: 100)
        let large = registry(total: 10_000)
        let sliceSeconds = settings.scenarioSeconds / Double(slices * 2)
        var smallTimes: [Double] = []
        var largeTimes: [Double] = []
        var lists = 0
        var seen = 0
        for _ in 0..<slices {
            for (registry, isLarge) in [(small, false), (large, true)] {
                let (perList, count, calls) = measure(registry, agent: agent, seconds: sliceSeconds)
                if isLarge { largeTimes.append(perList) } else { smallTimes.append(perList) }
                lists += count
                seen += calls
            }
        }
        let smallMedian = smallTimes.sorted()[slices / 2]
        let largeMedian = largeTimes.sorted()[slices / 2]
        return Result(
            smallTotal: 100, largeTotal: 10_000, agentCalls: ownedCalls,
            smallNanosecondsPerList: smallMedian, largeNanosecondsPerList: largeMedian,
            ratio: largeMedian / smallMedian, lists: lists, listsWereExact: seen == lists * ownedCalls)
    }

    /// Lists for `seconds` (checking the clock every 64 lists); returns ns per list, lists, calls seen.
    private static func measure(_ registry: CallRegistry, agent: Principal, seconds: Double) -> (Double, Int, Int) {
        let start = MonotonicClock.now()
        let deadline = start + MonotonicClock.nanoseconds(seconds)
        var lists = 0
        var calls = 0
        var now = start
        repeat {
            for _ in 0..<64 { calls += registry.calls(visibleTo: agent).count }
            lists += 64
            now = MonotonicClock.now()
        } while now < deadline && lists < 10_000_000
        return (Double(now - start) / Double(lists), lists, calls)
    }

    /// `total` calls: ten on agent 0's device, the rest on the other agents' devices and unowned ones.
    private static func registry(total: Int) -> CallRegistry {
        var calls: [Call] = []
        for index in 0..<ownedCalls {
            var call = BenchFixtures.establishedCall(id: "own-\(index)", index: index)
            call.deviceId = BenchFixtures.deviceId(0)
            calls.append(call)
        }
        var index = 0
        while calls.count < total {
            index += 1
            var call = BenchFixtures.establishedCall(id: "other-\(index)", index: index)
            if call.deviceId == BenchFixtures.deviceId(0) { call.deviceId = BenchFixtures.deviceId(1) }
            calls.append(call)
        }
        return CallRegistry(directory: BenchFixtures.directory, calls: calls, seq: 0, ownerSeqs: [:])
    }
}
