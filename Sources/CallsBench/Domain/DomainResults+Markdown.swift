import CallsLoad

extension DomainResults {
    /// The domain section of the report.
    var markdown: String {
        let text = "## Domain: the `Calls` module in memory\n\n"
        var table = MarkdownTable(headers: ["scenario", "figure", "value"], numericColumns: [2])
        let apply = registryApply
        table.add(
            "`CallRegistry.apply`: \(String(count: apply.events)) telephony events (\(String(count: apply.calls)) "
                + "calls Ringing + Established, \(BenchFixtures.agentCount) agents)",
            "events/s (median of \(apply.rounds) rounds\(apply.refused > 0 ? ", **\(apply.refused) refused**" : ""))",
            String(count: apply.eventsPerSecond))
        let visible = visibleCalls
        let lists = "`calls(visibleTo:)` of an agent owning the same \(visible.agentCalls) calls"
        table.add(
            lists, "µs per list, \(String(count: visible.smallTotal)) calls in all",
            microseconds(visible.smallNanosecondsPerList))
        table.add(
            "", "µs per list, \(String(count: visible.largeTotal)) calls in all",
            microseconds(visible.largeNanosecondsPerList))
        table.add(
            "",
            "ratio \(String(count: visible.largeTotal)) / \(String(count: visible.smallTotal))"
                + (visible.listsWereExact ? "" : " (**lists were wrong**)"),
            "**\(String(format2: visible.ratio))**")
        table.add(
            "`PhoneNumberEnricher.participantInfo(for:)`",
            "µs per cold lookup (\(String(count: enricher.coldLookups)) distinct numbers, "
                + "\(String(count: enricher.validNumbers)) valid)",
            String(format2: enricher.coldMicrosecondsPerLookup))
        table.add("", "µs per cached lookup", String(format2: enricher.cachedMicrosecondsPerLookup))
        table.add(
            "", "ratio cold / cached" + (enricher.cacheAgreed ? "" : " (**cache disagreed**)"),
            "**\(String(format1: enricher.ratio))**")
        table.add(
            "`CallPresentation.encodedJSON(for:)`, one `+` participant",
            "µs per call (\(String(presentation.bytesPerCall, decimals: 0)) bytes)",
            String(format2: presentation.microsecondsPerCall))
        return text + table.rendered + "\n"
    }

    private func microseconds(_ nanoseconds: Double) -> String {
        String(nanoseconds / 1_000, decimals: 3)
    }
}
