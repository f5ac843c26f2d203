import Calls
import CallsBusClient
import CallsBusService
import CallsGateway
import CallsLoad
import Foundation
import Hummingbird
import Logging

/// The REST gateway beside a bare Hummingbird route, both loaded by `wrk` over loopback in the
/// same run: what the gateway (Basic authentication, a bus round trip, metrics) costs above the
/// floor of HTTP itself.
struct GatewayResults: Sendable, Encodable {
    /// How wrk loads each server.
    struct Load: Sendable, Encodable {
        /// wrk's threads (`-t`).
        var threads: Int
        /// Connections kept open (`-c`).
        var connections: Int
        /// Seconds of one slice (`-d`).
        var sliceSeconds: Int
        /// Slices per server, alternating between the servers.
        var slices: Int
    }

    /// wrk's version; `nil` when wrk is not installed and nothing was measured.
    var wrkVersion: String?
    /// The load of both measured runs.
    var load: Load
    /// The request target of every request.
    var path: String
    /// The size of the gateway's reply body, which the bare route's fixed body copies.
    var replyBytes: Int
    /// The bare route: the HTTP ceiling.
    var ceiling: WrkResult?
    /// The gateway.
    var gateway: WrkResult?

    /// The goal for gateway req/s ÷ ceiling req/s.
    static let throughputGoal = 0.5
    /// The goal for the gateway's p99, in milliseconds.
    static let p99GoalMilliseconds = 5.0
    /// The admin's password, whose bcrypt hash (cost 10) is ``passwordHash``.
    static let password = "bench-password"
    /// bcrypt of ``password`` at cost 10, made once: the gateway verifies it on the first request
    /// and remembers the success, as it does for any client.
    static let passwordHash = "$2b$10$ZVxrAdczbFHWYZTuNMZ.8OEjvNgGtRxAatremcqwjwDipPvlVcJbK"

    /// gateway req/s ÷ ceiling req/s.
    var throughputRatio: Double? {
        guard let ceiling, let gateway, ceiling.requestsPerSecond > 0 else { return nil }
        return gateway.requestsPerSecond / ceiling.requestsPerSecond
    }

    /// Starts the bus (one call), the gateway and the bare route, then runs wrk against each.
    /// - Throws: ``BenchError`` when a server does not answer as expected or wrk fails; a missing
    ///   wrk is not an error (the report says so).
    static func measure(settings: BenchSettings, logger: Logger) async throws -> GatewayResults {
        let callId = BenchFixtures.preloadedCallId(0)
        let slices = settings.isQuick ? 1 : 3
        let load = Load(
            threads: 2, connections: 50,
            sliceSeconds: max(1, Int((settings.scenarioSeconds / Double(slices)).rounded())), slices: slices)
        var results = GatewayResults(load: load, path: "/api/v2/me/calls/\(callId)", replyBytes: 0)
        guard let version = try await Wrk.version() else {
            logger.warning("wrk not found: the gateway is not measured")
            return results
        }
        results.wrkVersion = version
        var serviceLogger = logger
        serviceLogger.logLevel = .warning
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let statePath = scratch.file("state.sqlite")
        try StateSeeder.write([BenchFixtures.establishedCall(id: callId, index: 0)], to: statePath)
        let directory = try directoryWithPassword()
        let configuration = BusConfiguration(
            statePath: statePath, requestEndpoint: "tcp://127.0.0.1:0", eventsEndpoint: "tcp://127.0.0.1:0")
        return try await ServiceHarness.withService(
            configuration: configuration, directory: directory, logger: serviceLogger
        ) { endpoints, _ in
            let bus = BusClientConfiguration(requestEndpoint: endpoints.request, eventsEndpoint: endpoints.events)
            let gateway = try CallsGateway.application(
                configuration: GatewayConfiguration(host: "127.0.0.1", port: 0, bus: bus),
                directory: directory,
                bus: try CallsBusClient(configuration: bus, logger: serviceLogger),
                logger: serviceLogger
            )
            return try await ApplicationHarness.withApplication(gateway, logger: serviceLogger) { gatewayPort in
                try await results.measure(gatewayPort: gatewayPort, logger: logger, serviceLogger: serviceLogger)
                return results
            }
        }
    }

    /// Reads the gateway's reply, starts the bare route with the same body, warms both up, then
    /// measures them in alternating slices (bare route, gateway, bare route…), so that other work
    /// on the machine weighs on both alike.
    private mutating func measure(gatewayPort: Int, logger: Logger, serviceLogger: Logger) async throws {
        let authorization = "Basic " + Data("\(BenchFixtures.admin):\(Self.password)".utf8).base64EncodedString()
        let reply = try await HTTPProbe.get(port: gatewayPort, path: path, authorization: authorization)
        guard reply.status == 200, reply.body.starts(with: Array(#"{"statusCode":0"#.utf8)) else {
            throw BenchError("the gateway answered \(reply.status): \(String(decoding: reply.body, as: UTF8.self))")
        }
        replyBytes = reply.body.count
        let (path, load) = (path, load)
        let ceilingApplication = Self.ceilingApplication(body: reply.body, logger: serviceLogger)
        (ceiling, gateway) = try await ApplicationHarness.withApplication(ceilingApplication, logger: serviceLogger) {
            ceilingPort in
            guard try await HTTPProbe.get(port: ceilingPort, path: path).body == reply.body else {
                throw BenchError("the bare route does not answer the gateway's reply")
            }
            let ceilingURL = "http://127.0.0.1:\(ceilingPort)\(path)"
            let gatewayURL = "http://127.0.0.1:\(gatewayPort)\(path)"
            let header = ["Authorization: \(authorization)"]
            func wrk(_ url: String, seconds: Int) async throws -> WrkResult {
                try await Wrk.run(
                    url: url, headers: header, threads: load.threads, connections: load.connections, seconds: seconds)
            }
            logger.info("bench scenario", metadata: ["bench.scenario": "gateway and bare route warm-up (wrk)"])
            _ = try await wrk(ceilingURL, seconds: 1)
            _ = try await wrk(gatewayURL, seconds: 1)
            var (ceilingSlices, gatewaySlices): ([WrkResult], [WrkResult]) = ([], [])
            for slice in 1...load.slices {
                logger.info("bench scenario", metadata: ["bench.scenario": "bare route, slice \(slice) (wrk)"])
                ceilingSlices.append(try await wrk(ceilingURL, seconds: load.sliceSeconds))
                logger.info("bench scenario", metadata: ["bench.scenario": "gateway, slice \(slice) (wrk)"])
                gatewaySlices.append(try await wrk(gatewayURL, seconds: load.sliceSeconds))
            }
            return (WrkResult(slices: ceilingSlices), WrkResult(slices: gatewaySlices))
        }
    }

    /// One route answering every request with `body`, with the gateway's content type and server
    /// name, so that only the work behind the route differs.
    private static func ceilingApplication(body: [UInt8], logger: Logger) -> some ApplicationProtocol {
        let router = Router()
        let buffer = ByteBuffer(bytes: body)
        router.get("api/v2/me/calls/{id}") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: buffer))
        }
        return Application(
            router: router,
            configuration: .init(address: .hostname("127.0.0.1", port: 0), serverName: "calls-gateway"),
            logger: logger
        )
    }

    /// ``BenchFixtures/directory`` with ``passwordHash`` for the admin.
    private static func directoryWithPassword() throws -> Directory {
        try Directory(
            principals: BenchFixtures.directory.principals.map { principal in
                var principal = principal
                if principal.id == BenchFixtures.admin { principal.passwordHash = passwordHash }
                return principal
            })
    }

    /// The gateway's goals; none when nothing was measured.
    var goals: [GoalCheck] {
        guard let ceiling, let gateway, let ratio = throughputRatio else { return [] }
        let isClean = ceiling.isClean && gateway.isClean
        let p99 = gateway.p99Microseconds / 1_000
        return [
            GoalCheck(
                name: "gateway req/s ÷ bare Hummingbird route (wrk, \(load.connections) connections)",
                measured: String(percent: ratio), target: "≥ \(String(percent: Self.throughputGoal))",
                isMet: isClean && ratio >= Self.throughputGoal),
            GoalCheck(
                name: "gateway p99 at \(load.connections) connections",
                measured: "\(String(format2: p99)) ms", target: "< \(String(format1: Self.p99GoalMilliseconds)) ms",
                isMet: isClean && p99 < Self.p99GoalMilliseconds),
        ]
    }
}
