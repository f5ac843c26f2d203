import CallsLoad

extension BenchReport {
    /// The report for people: the machine first, then the goals, then every figure.
    public var markdown: String {
        var text = "# calls-bench report\n\n"
        var machineTable = MarkdownTable(headers: ["machine", ""])
        machineTable.add("processors (`nproc`)", "\(machine.processors)")
        machineTable.add("CPU model (`/proc/cpuinfo`)", machine.cpuModel)
        machineTable.add("kernel", machine.kernel)
        machineTable.add("date (UTC)", machine.date)
        machineTable.add(
            "build",
            "Swift \(machine.swiftCompiler), **\(machine.buildConfiguration)** configuration, libzmq \(machine.libzmq)")
        machineTable.add(
            "settings",
            "\(String(format1: settings.scenarioSeconds)) s per scenario"
                + (settings.isQuick ? ", **quick** (tiny sizes)" : ""))
        machineTable.add("whole run", "\(String(format1: totalSeconds)) s")
        machineTable.add(
            "load average (1, 5, 15 min)", "\(machine.loadAverage) at the start, \(loadAverageAtEnd) at the end")
        text += machineTable.rendered + "\n"
        text += """
            Every figure below was measured in this one run, on this machine. Absolute numbers move \
            between machines and runs; the **ratios** (bus ÷ raw server, service ÷ baseline, 10,000 ÷ 100 calls, cold ÷ \
            cached, event ÷ round trip, gateway ÷ bare route) compare things measured side by side in the same run, and the \
            goals are checked against them. Server and clients share the machine's \
            \(machine.processors) processors.


            """
        text += "## Goals\n\n"
        var goalTable = MarkdownTable(headers: ["goal", "measured", "target", "result"])
        for goal in goals {
            goalTable.add(goal.name, goal.measured, goal.target, "**\(goal.verdict)**")
        }
        text += goalTable.rendered + "\n"
        if let domain { text += domain.markdown }
        if let outside { text += outside.markdown }
        if let group { text += group.markdown }
        if let bus { text += bus.markdown }
        if let gateway { text += gateway.markdown }
        if let cometd { text += cometd.markdown }
        return text
    }
}
