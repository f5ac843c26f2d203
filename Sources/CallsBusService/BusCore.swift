package import Calls
import CallsBusMessages
import CallsPhoneNumbers
package import CallsStore
package import Foundation
package import Logging

/// The bus without its sockets: a request in; its reply, and the events and batch to commit, out.
///
/// It holds the registry, the whole access policy, the call JSON encoded once per change, and the
/// batch being built. It never commits or sends anything: ``BusEngine`` (sockets, loop, commit
/// pipeline) takes each ``Commit`` with ``takeCommit()``, makes it durable, and only then publishes
/// its events and sends the replies of its requests. A benchmark drives it the same way, without
/// sockets. Not thread-safe: one loop owns it.
package final class BusCore {
    /// A request as the core takes it.
    package struct Request: Sendable {
        /// The first body frame; `nil` when the request had no body frame.
        package var frame: Data?
        /// How many body frames the request had in all (a request is exactly one).
        package var frameCount: Int
        /// The connection it came on.
        package var connection: Connection

        /// Creates a request of `frameCount` body frames, the first being `frame`.
        package init(frame: Data?, frameCount: Int, connection: Connection) {
            self.frame = frame
            self.frameCount = frameCount
            self.connection = connection
        }

        /// A request of one frame.
        package init(_ frame: Data, connection: Connection = .open) {
            self.init(frame: frame, frameCount: 1, connection: connection)
        }
    }

    /// Who a connection speaks for, as the transport established it.
    package enum Connection: Sendable, Hashable {
        /// Without CURVE: a request speaks for the user it names.
        case open
        /// With CURVE: the principal the connection's key is admitted as now; `nil` once revoked.
        case curve(principal: String?)
    }

    /// One event to publish once its batch is durable.
    package struct Event: Sendable, Hashable {
        /// The topic frame: `calls/<ownerId>/<callId>`.
        package var topic: String
        /// The body frame, byte for byte as the store journals it.
        package var body: Data
    }

    /// What the requests served since the last ``takeCommit()`` changed.
    package struct Commit: Sendable {
        /// What to write in one transaction.
        package var batch = StoreBatch()
        /// What to publish once ``batch`` is durable, in `seq` order.
        package var events: [Event] = []

        /// The `seq` of its last event, if it has events.
        package var lastSeq: UInt64? { batch.events.last?.seq }
    }

    /// The principals and every permission rule, CURVE's included (the engine's ZAP gate asks it too).
    package let policy: AccessPolicy
    let configuration: BusConfiguration
    let store: any CallStorage
    let presentation: CallPresentation
    let logger: Logger
    var registry: CallRegistry
    /// Devices, agent states and the device event counter.
    var devices: DeviceRegistry
    let devicePresentation: DevicePresentation
    /// Every call's JSON, encoded once per change and reused by every read and event.
    var encodedCalls: [String: Data] = [:]
    /// The oldest event the store keeps once every taken commit is durable.
    var oldestRetainedSeq: UInt64?
    var pending = Commit()

    /// Loads the registry from `store`.
    /// - Parameters:
    ///   - configuration: limits, retention, history and the public base URL.
    ///   - directory: the principals.
    ///   - store: what the registry is restored from, and where `events.replay` reads the history.
    ///   - logger: where per-request lines go (debug).
    /// - Throws: ``CallsStore/CallStoreError`` when the stored state cannot be read.
    package init(
        configuration: BusConfiguration, directory: Directory, store: any CallStorage, logger: Logger
    ) throws(CallStoreError) {
        self.configuration = configuration
        self.store = store
        self.logger = logger
        policy = AccessPolicy(directory: directory)
        let enricher = PhoneNumberEnricher()
        presentation = CallPresentation(publicBaseURL: configuration.publicBaseURL) {
            enricher.participantInfo(for: $0)
        }
        let state = try store.load()
        registry = CallRegistry(
            restoring: state, directory: directory, releasedRetention: configuration.releasedRetention)
        devices = DeviceRegistry(restoring: state, directory: directory)
        devicePresentation = DevicePresentation(publicBaseURL: configuration.publicBaseURL)
        oldestRetainedSeq = state.oldestRetainedSeq
    }

    /// The `seq` of the last event applied (durable or not).
    package var seq: UInt64 { registry.seq }

    /// How many calls the registry holds, released ones included.
    package var callCount: Int { registry.allCalls.count }

    /// Serves one request: applies it, and adds its events and changes to the pending ``Commit``.
    ///
    /// The reply may show changes that are not durable yet: send it only once every commit taken
    /// so far (and the next one, when this request changed anything) is durable.
    /// - Parameters:
    ///   - request: the frames and the connection.
    ///   - makeDurable: called by `events.replay` before it reads the history: it must take the
    ///     pending commit and return once every commit taken is durable (or has been refused, and
    ///     ``restore(from:)`` called). A failure refuses the replay.
    /// - Returns: the reply frame.
    package func serve(_ request: Request, makeDurable: () throws -> Void) -> Data {
        do throws(CallsError) {
            guard request.frameCount == 1, let frame = request.frame else {
                throw request.frameCount == 0
                    ? CallsError.missingParameter("the request is empty: send one frame of JSON")
                    : CallsError.invalidParameter(
                        "a request is exactly one frame of JSON, not \(request.frameCount)")
            }
            guard frame.count <= configuration.maxRequestSize else {
                throw CallsError.invalidParameter(
                    "a request may be at most \(configuration.maxRequestSize / 1024) KiB")
            }
            let decoded = try BusRequest(frame: frame)
            logger.debug("request", metadata: ["bus.request.kind": "\(decoded.operation.rawValue)"])
            return try respond(to: decoded, connection: request.connection, makeDurable: makeDurable)
        } catch {
            logger.debug("request refused", metadata: ["bus.status": "\(error.code.statusCode)"])
            return BusReply.failure(error)
        }
    }

    /// Hands over what the requests served so far changed, and starts a new commit.
    /// - Returns: `nil` when they changed nothing.
    package func takeCommit() -> Commit? {
        guard !pending.batch.isEmpty else { return nil }
        let commit = pending
        pending = Commit()
        if let last = commit.lastSeq {
            // The store trims its history at each commit; this is what it keeps once this one is durable.
            let history = UInt64(configuration.eventHistory)
            let oldestKept = last > history ? last - history + 1 : 1
            oldestRetainedSeq = max(oldestRetainedSeq ?? oldestKept, oldestKept)
        }
        return commit
    }

    /// Forgets released calls past their retention; the store forgets them with the next commit.
    package func expireReleasedCalls(now: Date) {
        for call in registry.expireReleased(now: now) {
            encodedCalls[call.id] = nil
            pending.batch.remove(callId: call.id)
            logger.debug("released call expired", metadata: ["call.id": "\(call.id)"])
        }
    }

    /// Goes back to exactly what `state` holds, dropping whatever was not committed: after a
    /// commit failed, nothing built on it may be seen.
    package func restore(from state: StoredState) {
        registry = CallRegistry(
            restoring: state, directory: registry.directory, releasedRetention: registry.releasedRetention)
        devices = DeviceRegistry(restoring: state, directory: registry.directory)
        oldestRetainedSeq = state.oldestRetainedSeq
        encodedCalls.removeAll()
        pending = Commit()
    }
}
