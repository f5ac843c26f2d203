import ArgumentParser
import CallsBench
import Foundation

/// Where the programs of the outside measurement are: by default beside `calls-bench` itself,
/// where `make bench` and `make bench-outside` build them.
struct OutsideToolOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The calls-bus program to measure (default: beside calls-bench).", valueName: "PATH"))
    var bus: String?

    @Option(help: ArgumentHelp("The C load generator (default: calls-zmq-load beside calls-bench).", valueName: "PATH"))
    var loadGenerator: String?

    @Option(
        help: ArgumentHelp(
            "The raw libzmq server (default: calls-zmq-raw-router beside calls-bench).", valueName: "PATH"))
    var rawRouter: String?

    @Option(
        help: ArgumentHelp(
            "The calls-gateway program of the CometD fan-out (default: beside calls-bench).", valueName: "PATH"))
    var gateway: String?

    /// The programs: those named, the others beside this executable.
    var tools: OutsideTools {
        let folder = Bundle.main.executableURL?.deletingLastPathComponent().path ?? "."
        let beside = OutsideTools(in: folder)
        return OutsideTools(
            bus: bus ?? beside.bus, loadGenerator: loadGenerator ?? beside.loadGenerator,
            rawRouter: rawRouter ?? beside.rawRouter, gateway: gateway ?? beside.gateway)
    }
}
