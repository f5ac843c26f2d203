import Calls
import CallsBusMessages
import CallsLoad
import CallsPhoneNumbers
import CallsStore
import Foundation

/// The bus thread's work per request without sockets, step by step: where the service's time goes.
///
/// It repeats what the service's loop does for `calls.get` and for `telephony.event` with the same
/// public pieces (request decoding, access policy, registry, presentation, event body, store
/// commit with its fsync), so that a gap to the baseline can be traced to a step.
enum ServicePathBenchmark {
    /// Mean microseconds per request of each step, and the ceilings they imply for one thread.
    struct Result: Sendable, Encodable {
        /// `BusRequest(frame:)` of a `calls.get` frame.
        var getDecodeMicroseconds: Double
        /// Authorize, look up, splice the cached call JSON into the reply.
        var getAnswerMicroseconds: Double
        /// `calls.get` per second one thread could answer, sockets aside.
        var getCeilingPerSecond: Double
        /// `BusRequest(frame:)` and `TelephonyEvent(json:)` of a `Ringing` request.
        var eventDecodeMicroseconds: Double
        /// `CallRegistry.apply`.
        var eventApplyMicroseconds: Double
        /// The call's JSON, the event body and the batch entry.
        var eventRecordMicroseconds: Double
        /// Requests per batch, as the service takes them at most.
        var batchSize: Int
        /// `CallStore.commit` of one batch, fsync included.
        var commitMillisecondsPerBatch: Double
        /// Events per second one thread could accept and journal, sockets aside.
        var eventCeilingPerSecond: Double
        /// Calls in the registry for the expiry scan.
        var expiryCalls: Int
        /// `CallRegistry.expireReleased(now:)` over them, none released: what the service runs every second.
        var expiryScanMilliseconds: Double
    }

    /// Measures each path for about a third of the scenario's time.
    static func run(settings: BenchSettings, folder: ScratchDirectory) throws -> Result {
        let get = measureGet(seconds: settings.scenarioSeconds / 3)
        let event = try measureEvents(seconds: settings.scenarioSeconds / 3, path: folder.file("path.sqlite"))
        let calls = (0..<settings.startupCalls).map { BenchFixtures.establishedCall(id: "scan-\($0)", index: $0) }
        var registry = CallRegistry(directory: BenchFixtures.directory, calls: calls, seq: 0, ownerSeqs: [:])
        var scans: [Double] = []
        for _ in 0..<5 {
            let start = MonotonicClock.now()
            _ = registry.expireReleased(now: Date())
            scans.append(MonotonicClock.seconds(from: start, to: MonotonicClock.now()) * 1e3)
        }
        let perEvent = event.decode + event.apply + event.record + event.commitPerBatch * 1e3 / Double(batchSize)
        return Result(
            getDecodeMicroseconds: get.decode, getAnswerMicroseconds: get.answer,
            getCeilingPerSecond: 1e6 / (get.decode + get.answer), eventDecodeMicroseconds: event.decode,
            eventApplyMicroseconds: event.apply, eventRecordMicroseconds: event.record, batchSize: batchSize,
            commitMillisecondsPerBatch: event.commitPerBatch, eventCeilingPerSecond: 1e6 / perEvent,
            expiryCalls: calls.count, expiryScanMilliseconds: scans.sorted()[2])
    }

    private static let batchSize = 256

    private static func measureGet(seconds: Double) -> (decode: Double, answer: Double) {
        let ids = (0..<1_000).map(BenchFixtures.preloadedCallId)
        let calls = ids.enumerated().map { BenchFixtures.establishedCall(id: $1, index: $0) }
        let registry = CallRegistry(directory: BenchFixtures.directory, calls: calls, seq: 0, ownerSeqs: [:])
        let policy = AccessPolicy(directory: BenchFixtures.directory)
        let presentation = CallPresentation(publicBaseURL: "http://127.0.0.1:8080") { _ in nil }
        let cache = Dictionary(uniqueKeysWithValues: calls.map { ($0.id, presentation.encodedJSON(for: $0)) })
        let frames = ids.map { Data(RequestSource.getFrame(id: $0, user: BenchFixtures.admin)) }
        var (decodeTime, answerTime, count, bytes) = (UInt64(0), UInt64(0), 0, 0)
        let deadline = MonotonicClock.now() + MonotonicClock.nanoseconds(seconds)
        repeat {
            let start = MonotonicClock.now()
            let requests = frames.compactMap { try? BusRequest(frame: $0) }
            let decoded = MonotonicClock.now()
            for request in requests {
                guard let principal = try? policy.authorize(user: request.user, for: .get),
                    let id = try? request.requiredString("id"),
                    let call = try? policy.visibleCall(registry.call(id: id), id: id, to: principal),
                    let json = cache[call.id]
                else { continue }
                bytes += BusReply.call(json).count
            }
            decodeTime += decoded - start
            answerTime += MonotonicClock.now() - decoded
            count += requests.count
        } while MonotonicClock.now() < deadline && count < 5_000_000 && bytes > 0
        return (Double(decodeTime) / Double(count) / 1e3, Double(answerTime) / Double(count) / 1e3)
    }

    private static func measureEvents(
        seconds: Double, path: String
    ) throws -> (decode: Double, apply: Double, record: Double, commitPerBatch: Double) {
        let store = try CallStore(path: path)
        let enricher = PhoneNumberEnricher()
        let presentation = CallPresentation(publicBaseURL: "http://127.0.0.1:8080") {
            enricher.participantInfo(for: $0)
        }
        let source = RequestSource.newCalls(prefix: "path-")
        var registry = CallRegistry(directory: BenchFixtures.directory)
        var times = [UInt64](repeating: 0, count: 4)
        var (events, batches) = (0, 0)
        let now = Date()
        let deadline = MonotonicClock.now() + MonotonicClock.nanoseconds(seconds)
        repeat {
            let frames = (0..<batchSize).map { Data(source.frame(0, events + $0)) }
            var stamps = [MonotonicClock.now()]
            let telephonyEvents = frames.compactMap { frame in
                (try? BusRequest(frame: frame)).flatMap { try? TelephonyEvent(json: $0.fields["event"]) }
            }
            stamps.append(MonotonicClock.now())
            let accepted = telephonyEvents.flatMap { (try? registry.apply($0, at: now).get())?.events ?? [] }
            stamps.append(MonotonicClock.now())
            var batch = StoreBatch()
            for event in accepted {
                let json = presentation.encodedJSON(for: event.call)
                let topic = EventTopic.topic(ownerId: event.ownerId, callId: event.call.id)
                let body = EventMessage.body(for: event, callJSON: json)
                let stored = StoredEvent(
                    seq: event.seq, ownerId: event.ownerId, ownerSeq: event.ownerSeq, topic: topic, body: body)
                batch.append(stored, call: event.call)
            }
            stamps.append(MonotonicClock.now())
            try store.commit(batch)
            stamps.append(MonotonicClock.now())
            for step in 0..<4 { times[step] += stamps[step + 1] - stamps[step] }
            events += accepted.count
            batches += 1
        } while MonotonicClock.now() < deadline && events < 200_000
        let perEvent = { (step: Int) in Double(times[step]) / Double(max(events, 1)) / 1e3 }
        return (perEvent(0), perEvent(1), perEvent(2), Double(times[3]) / Double(batches) / 1e6)
    }
}
