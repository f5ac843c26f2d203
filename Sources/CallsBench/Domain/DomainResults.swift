import CallsLoad
import Logging

/// The domain scenarios' results: the `Calls` module alone, no sockets, no disk.
struct DomainResults: Sendable, Encodable {
    /// `CallRegistry.apply` throughput.
    var registryApply: RegistryApplyBenchmark.Result
    /// An agent's list at 100 against 10,000 calls.
    var visibleCalls: VisibleCallsBenchmark.Result
    /// Phone-number enrichment, cold and cached.
    var enricher: EnricherBenchmark.Result
    /// Encoding a call's JSON.
    var presentation: PresentationBenchmark.Result

    /// Runs each scenario in turn, on the calling thread (they only compute).
    static func measure(settings: BenchSettings, logger: Logger) -> DomainResults {
        logger.info("bench scenario", metadata: ["bench.scenario": "registry.apply"])
        let registryApply = RegistryApplyBenchmark.run(settings: settings)
        logger.info("bench scenario", metadata: ["bench.scenario": "calls.visibleTo"])
        let visibleCalls = VisibleCallsBenchmark.run(settings: settings)
        logger.info("bench scenario", metadata: ["bench.scenario": "enricher"])
        let enricher = EnricherBenchmark.run(settings: settings)
        logger.info("bench scenario", metadata: ["bench.scenario": "presentation"])
        let presentation = PresentationBenchmark.run(settings: settings)
        return DomainResults(
            registryApply: registryApply, visibleCalls: visibleCalls, enricher: enricher, presentation: presentation)
    }

    /// The domain's goal: an agent's list does not grow with other agents' calls.
    var goals: [GoalCheck] {
        [
            GoalCheck(
                name: "agent list time, 10,000 / 100 calls",
                measured: String(format2: visibleCalls.ratio),
                target: "< \(VisibleCallsBenchmark.ratioGoal)",
                isMet: visibleCalls.ratio < VisibleCallsBenchmark.ratioGoal && visibleCalls.listsWereExact
            )
        ]
    }
}
