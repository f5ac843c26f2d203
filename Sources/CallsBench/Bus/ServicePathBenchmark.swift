import Calls
import CallsBusMessages
import CallsBusService
import CallsLoad
import CallsStore
import Foundation
import Logging

/// The bus thread's work per request without sockets: the real ``CallsBusService/BusCore`` fed
/// request frames, and its commits written to a real state file, as the service's loop does.
///
/// Decoding is also timed alone (`BusRequest(frame:)`, `TelephonyEvent(json:)`, the decoders the
/// core calls), so that the rest of a request's time can be told from it.
enum ServicePathBenchmark {
    /// Mean microseconds per request, and the ceilings they imply for one thread.
    struct Result: Sendable, Encodable {
        /// `BusRequest(frame:)` of a `calls.get` frame alone.
        var getDecodeMicroseconds: Double
        /// `BusCore.serve` of a `calls.get` frame: decode, authorize, look up, splice the cached call JSON.
        var getServeMicroseconds: Double
        /// `calls.get` per second one thread could answer, sockets aside.
        var getCeilingPerSecond: Double
        /// `BusRequest(frame:)` and `TelephonyEvent(json:)` of a telephony frame alone.
        var eventDecodeMicroseconds: Double
        /// `BusCore.serve` of a telephony frame: decode, apply, call JSON, event body, batch entry.
        var eventServeMicroseconds: Double
        /// Requests per batch, as the service takes them at most.
        var batchSize: Int
        /// `CallStore.commit` of one batch the core made, fsync included.
        var commitMillisecondsPerBatch: Double
        /// Events per second one thread could serve and commit, sockets aside.
        var eventCeilingPerSecond: Double
        /// Calls in the registry for the expiry scan.
        var expiryCalls: Int
        /// `BusCore.expireReleasedCalls(now:)` over them, none released: what the service runs every second.
        var expiryScanMilliseconds: Double
    }

    /// Measures each path for about a third of the scenario's time.
    static func run(settings: BenchSettings, folder: ScratchDirectory) throws -> Result {
        let get = try measureGet(seconds: settings.scenarioSeconds / 3, path: folder.file("path-get.sqlite"))
        let event = try measureEvents(seconds: settings.scenarioSeconds / 3, path: folder.file("path-events.sqlite"))
        let calls = (0..<settings.startupCalls).map { BenchFixtures.establishedCall(id: "scan-\($0)", index: $0) }
        let scanPath = folder.file("path-scan.sqlite")
        try StateSeeder.write(calls, to: scanPath)
        let (core, _) = try makeCore(path: scanPath)
        var scans: [Double] = []
        for _ in 0..<5 {
            let start = MonotonicClock.now()
            core.expireReleasedCalls(now: Date())
            scans.append(MonotonicClock.seconds(from: start, to: MonotonicClock.now()) * 1e3)
        }
        let perEvent = event.serve + event.commitPerBatch * 1e3 / Double(batchSize)
        return Result(
            getDecodeMicroseconds: get.decode, getServeMicroseconds: get.serve,
            getCeilingPerSecond: 1e6 / get.serve, eventDecodeMicroseconds: event.decode,
            eventServeMicroseconds: event.serve, batchSize: batchSize,
            commitMillisecondsPerBatch: event.commitPerBatch, eventCeilingPerSecond: 1e6 / perEvent,
            expiryCalls: calls.count, expiryScanMilliseconds: scans.sorted()[2])
    }

    private static let batchSize = 256

    private static func makeCore(path: String) throws -> (BusCore, CallStore) {
        let store = try CallStore(path: path)
        let core = try BusCore(
            configuration: BusConfiguration(statePath: path), directory: BenchFixtures.directory, store: store,
            logger: Logger(label: "bench-core", factory: { _ in SwiftLogNoOpLogHandler() }))
        return (core, store)
    }

    private static func measureGet(seconds: Double, path: String) throws -> (decode: Double, serve: Double) {
        let ids = (0..<1_000).map(BenchFixtures.preloadedCallId)
        try StateSeeder.write(ids.enumerated().map { BenchFixtures.establishedCall(id: $1, index: $0) }, to: path)
        let (core, _) = try makeCore(path: path)
        let frames = ids.map { Data(RequestSource.getFrame(id: $0, user: BenchFixtures.admin)) }
        // Encodes every call once, as the first reads after a start do.
        var bytes = frames.reduce(0) { $0 + core.serve(BusCore.Request($1), makeDurable: {}).count }
        var (decodeTime, serveTime, count) = (UInt64(0), UInt64(0), 0)
        let deadline = MonotonicClock.now() + MonotonicClock.nanoseconds(seconds)
        repeat {
            let start = MonotonicClock.now()
            let decoded = frames.reduce(0) { $0 + ((try? BusRequest(frame: $1)) == nil ? 0 : 1) }
            let served = MonotonicClock.now()
            for frame in frames { bytes += core.serve(BusCore.Request(frame), makeDurable: {}).count }
            decodeTime += served - start
            serveTime += MonotonicClock.now() - served
            count += min(decoded, frames.count)
        } while MonotonicClock.now() < deadline && count < 5_000_000 && bytes > 0
        return (Double(decodeTime) / Double(count) / 1e3, Double(serveTime) / Double(count) / 1e3)
    }

    private static func measureEvents(
        seconds: Double, path: String
    ) throws -> (decode: Double, serve: Double, commitPerBatch: Double) {
        let (core, store) = try makeCore(path: path)
        let source = RequestSource.ringAndAnswer(prefix: "path-")
        var times = [UInt64](repeating: 0, count: 3)
        var (requests, events, batches) = (0, 0, 0)
        let deadline = MonotonicClock.now() + MonotonicClock.nanoseconds(seconds)
        repeat {
            let frames = (0..<batchSize).map { Data(source.frame(0, requests + $0)) }
            var stamps = [MonotonicClock.now()]
            let decoded = frames.compactMap { frame in
                (try? BusRequest(frame: frame)).flatMap { try? TelephonyEvent(json: $0.fields["event"]) }
            }
            stamps.append(MonotonicClock.now())
            for frame in frames {
                _ = core.serve(BusCore.Request(frame), makeDurable: {})
            }
            stamps.append(MonotonicClock.now())
            guard let commit = core.takeCommit(), decoded.count == frames.count else {
                throw BenchError("the core refused the benchmark's telephony events")
            }
            try store.commit(commit.batch)
            stamps.append(MonotonicClock.now())
            for step in 0..<3 { times[step] += stamps[step + 1] - stamps[step] }
            requests += frames.count
            events += commit.events.count
            batches += 1
        } while MonotonicClock.now() < deadline && events < 200_000
        let perRequest = { (step: Int) in Double(times[step]) / Double(max(requests, 1)) / 1e3 }
        return (perRequest(0), perRequest(1), Double(times[2]) / Double(batches) / 1e6)
    }
}
