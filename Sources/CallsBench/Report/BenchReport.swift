import CallsLoad
public import Foundation
public import Logging

/// A benchmark run: the machine, the settings, each suite's figures and the goals checked.
///
/// Render it with ``markdown`` for people and ``jsonData()`` for tools.
public struct BenchReport: Sendable, Encodable {
    /// The suites to run.
    public struct Suites: OptionSet, Sendable {
        /// The suites' bits.
        public let rawValue: Int
        /// Creates a set from its bits.
        public init(rawValue: Int) { self.rawValue = rawValue }
        /// The `Calls` domain alone, in memory.
        public static let domain = Suites(rawValue: 1)
        /// The bus service over loopback TCP, beside a raw ROUTER baseline.
        public static let bus = Suites(rawValue: 2)
        /// The REST gateway under `wrk`, beside a bare Hummingbird route.
        public static let gateway = Suites(rawValue: 4)
        /// The `calls-bus` program loaded from another process, beside a raw libzmq server program.
        public static let outside = Suites(rawValue: 8)
        /// CometD sessions of the `calls-gateway` program under fan-out, beside its SSE stream.
        public static let cometd = Suites(rawValue: 16)
        /// Release `calls-bus` programs on PostgreSQL beside SQLite, and takeovers in a group of two.
        public static let group = Suites(rawValue: 32)
    }

    let machine: MachineInfo
    let settings: BenchSettings
    let domain: DomainResults?
    let outside: OutsideResults?
    let bus: BusResults?
    let gateway: GatewayResults?
    let cometd: CometDResults?
    let group: GroupResults?
    let goals: [GoalCheck]
    let totalSeconds: Double
    let loadAverageAtEnd: String

    /// Runs `suites` and collects the report.
    /// - Parameters:
    ///   - suites: which benchmarks.
    ///   - settings: durations and sizes.
    ///   - outsideTools: the programs of the outside suite; without them it is not measured.
    ///   - logger: progress, one line per scenario.
    /// - Throws: when a bus or gateway scenario cannot run (a port cannot be bound, the service
    ///   fails, a client gets no reply, wrk fails); a missing wrk only leaves the gateway unmeasured,
    ///   and a missing program the outside suite.
    public static func run(
        _ suites: Suites, settings: BenchSettings, outsideTools: OutsideTools? = nil, logger: Logger
    ) async throws -> BenchReport {
        let start = MonotonicClock.now()
        let machine = MachineInfo.current()
        let domain = suites.contains(.domain) ? DomainResults.measure(settings: settings, logger: logger) : nil
        let outside =
            suites.contains(.outside)
            ? try await OutsideResults.measure(settings: settings, tools: outsideTools, logger: logger) : nil
        let group =
            suites.contains(.group)
            ? try await GroupResults.measure(settings: settings, tools: outsideTools, logger: logger) : nil
        let bus = suites.contains(.bus) ? try await BusResults.measure(settings: settings, logger: logger) : nil
        let gateway =
            suites.contains(.gateway) ? try await GatewayResults.measure(settings: settings, logger: logger) : nil
        let cometd =
            suites.contains(.cometd)
            ? try await CometDResults.measure(settings: settings, tools: outsideTools, logger: logger) : nil
        return BenchReport(
            machine: machine, settings: settings, domain: domain, outside: outside, bus: bus, gateway: gateway,
            cometd: cometd, group: group,
            goals: (outside?.goals ?? []) + (group?.goals ?? []) + (domain?.goals ?? []) + (bus?.goals ?? [])
                + (gateway?.goals ?? []) + (cometd?.goals ?? []),
            totalSeconds: MonotonicClock.seconds(from: start, to: MonotonicClock.now()),
            loadAverageAtEnd: MachineInfo.loadAverage())
    }

    /// Whether every goal checked was met.
    public var allGoalsMet: Bool { goals.allSatisfy(\.isMet) }

    /// The raw figures as pretty-printed JSON with sorted keys.
    /// - Throws: `EncodingError` (not expected: every figure is a plain number or string).
    public func jsonData() throws -> Data {
        try BenchJSON.data(self)
    }
}
