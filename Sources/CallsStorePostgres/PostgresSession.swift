import CallsStore
import Foundation
import Logging
import NIOCore
import NIOPosix
import PostgresNIO
import Synchronization

/// One connection to the database, used from plain threads: every call blocks until PostgreSQL
/// answers or ``timeout`` passes, and calls are serialized, so that a transaction is never
/// interleaved with another caller's statement.
///
/// The connection is made lazily and made again after it broke or a statement timed out (a
/// timed-out connection is closed: its open transaction, if any, is rolled back by the server).
/// The session has an event loop thread of its own, so a blocking caller never waits on a loop
/// that it occupies.
final class PostgresSession: Sendable {
    let url: PostgresURL
    /// The bound of every connection attempt and every statement.
    let timeout: TimeAmount
    private let group: MultiThreadedEventLoopGroup
    private let logger: Logger
    private let connection = Mutex<PostgresConnection?>(nil)
    /// Set by ``close()``: the event loop is gone, so no connection may be made any more.
    private let isClosed = Mutex(false)

    init(url: PostgresURL, timeout: Double, logger: Logger) {
        self.url = url
        self.timeout = .milliseconds(Int64(max(0.1, timeout) * 1_000))
        self.logger = logger
        group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    }

    /// Runs `body` with the connection, alone; drops the connection when `body` left it unusable.
    ///
    /// A kept connection that fails at its first statement (the server restarted, or dropped it
    /// while idle) is replaced and `body` run once more: nothing of it reached the database.
    func withConnection<Result: Sendable>(
        _ body: (Link) throws(CallStoreError) -> Result
    ) throws(CallStoreError) -> Result {
        try connection.withLock { (current: inout PostgresConnection?) throws(CallStoreError) -> Result in
            guard !isClosed.withLock({ $0 }) else {
                throw CallStoreError(code: .cannotOpen, message: "the store of \(url.location) was closed")
            }
            if current?.isClosed == true { current = nil }
            var isKept = current != nil
            while true {
                let open: PostgresConnection
                if let current {
                    open = current
                } else {
                    open = try connect()
                    current = open
                }
                let link = Link(connection: open, session: self)
                do throws(CallStoreError) {
                    return try body(link)
                } catch {
                    guard link.isBroken else { throw error }
                    current = nil
                    Self.close(link.connection, within: timeout)
                    guard isKept, link.answered == 0 else { throw error }
                    isKept = false
                }
            }
        }
    }

    /// Closes the connection and stops the event loop thread; the session is unusable afterwards.
    func close() {
        let wasOpen = connection.withLock { current in
            if let open = current { Self.close(open, within: timeout) }
            current = nil
            return isClosed.withLock { isClosed in
                defer { isClosed = true }
                return !isClosed
            }
        }
        if wasOpen { try? group.syncShutdownGracefully() }
    }

    private func connect() throws(CallStoreError) -> PostgresConnection {
        var configuration = PostgresConnection.Configuration(
            host: url.host, port: url.port, username: url.user, password: url.password, database: url.database,
            tls: .disable)
        configuration.options.connectTimeout = timeout
        // Every session of ours commits durably, whatever the server's or the role's default. And a
        // transaction of ours never waits between statements, so one that does (its process paused
        // in the middle of a commit, holding the lease row FOR SHARE) is ended by the server after
        // the timeout: otherwise it would keep a standby from taking the lease for as long as the
        // paused process's connection stays up.
        configuration.options.additionalStartupParameters = [
            ("synchronous_commit", "on"), ("application_name", "calls-bus"),
            ("idle_in_transaction_session_timeout", "\(max(1, timeout.nanoseconds / 1_000_000))"),
        ]
        let future = PostgresConnection.connect(
            on: group.next(), configuration: configuration, id: 1, logger: logger)
        do {
            return try Self.wait(for: future, within: timeout)
        } catch {
            // A connection made after the wait gave up is closed, not leaked.
            future.whenSuccess { connection in
                let _: EventLoopFuture<Void> = connection.close()
            }
            throw CallStoreError(code: .cannotOpen, message: connectionFailure(error))
        }
    }

    /// One line saying why the database could not be reached or refused us, without the password.
    private func connectionFailure(_ error: any Error) -> String {
        let database = url.location
        if let server = (error as? PSQLError)?.serverInfo {
            let text = server[.message] ?? "refused"
            switch server[.sqlState] {
            case "28P01", "28000":
                return "the database \(database) refused the credentials of user \(url.user): \(text)"
            default:
                return "the database \(database) refused the connection: \(text)"
            }
        }
        return "cannot reach the database \(database): \(Self.describe(error))"
    }

    /// A short description of a failure, for messages: the server's own message when it sent one.
    static func describe(_ error: any Error) -> String {
        if error is Timeout { return "no answer within the timeout" }
        guard let psql = error as? PSQLError else { return "\(error)" }
        if let message = psql.serverInfo?[.message] {
            return message + (psql.serverInfo?[.sqlState].map { " (SQLSTATE \($0))" } ?? "")
        }
        if var underlying = psql.underlying {
            if let connect = underlying as? NIOConnectionError, let first = connect.connectionErrors.first {
                underlying = first.error
            }
            // NIO's own connect timeout and ours say the same to a reader.
            if case .connectTimeout? = underlying as? ChannelError { return "no answer within the timeout" }
            return "\(underlying)"
        }
        return "\(psql.code)"
    }

    /// The wait of a plain thread on a future, given up after `timeout`.
    static func wait<Value: Sendable>(
        for future: EventLoopFuture<Value>, within timeout: TimeAmount
    ) throws -> Value {
        let bounded = future.eventLoop.makePromise(of: Value.self)
        future.cascade(to: bounded)
        let timer = future.eventLoop.scheduleTask(in: timeout) { bounded.fail(Timeout()) }
        defer { timer.cancel() }
        return try bounded.futureResult.wait()
    }

    private static func close(_ connection: PostgresConnection, within timeout: TimeAmount) {
        guard !connection.isClosed else { return }
        let closed: EventLoopFuture<Void> = connection.close()
        _ = try? wait(for: closed, within: timeout)
    }

    /// The failure of a wait that ran out of time.
    struct Timeout: Error {}

    /// The connection as `withConnection` lends it, to one caller at a time: statements, each
    /// bounded by the timeout.
    final class Link {
        let connection: PostgresConnection
        let session: PostgresSession
        /// Set when a statement failed in a way that leaves the connection unusable.
        private(set) var isBroken = false
        /// How many statements the database answered.
        private(set) var answered = 0

        init(connection: PostgresConnection, session: PostgresSession) {
            self.connection = connection
            self.session = session
        }

        /// Runs one statement and returns its rows.
        /// - Parameter failure: the code and the start of the message of the error thrown.
        func query(
            _ query: PostgresQuery, failure: (code: CallStoreError.Code, message: String)
        ) throws(CallStoreError) -> PostgresQueryResult {
            do {
                let result = try PostgresSession.wait(
                    for: connection.query(query, logger: session.logger), within: session.timeout)
                answered += 1
                return result
            } catch {
                if (error as? PSQLError)?.code != .server { isBroken = true }
                throw CallStoreError(
                    code: failure.code,
                    message: "\(failure.message) (database \(session.url.location)): \(PostgresSession.describe(error))"
                )
            }
        }

        /// Runs `body` in a transaction: committed when it returns, rolled back when it throws.
        /// - Parameter isolation: the `BEGIN` options, e.g. `ISOLATION LEVEL READ COMMITTED`.
        func transaction<Result>(
            _ isolation: String, failure: (code: CallStoreError.Code, message: String),
            _ body: () throws(CallStoreError) -> Result
        ) throws(CallStoreError) -> Result {
            _ = try query(PostgresQuery(unsafeSQL: "BEGIN " + isolation), failure: failure)
            let result: Result
            do throws(CallStoreError) {
                result = try body()
            } catch {
                if !isBroken { _ = try? query("ROLLBACK", failure: failure) }
                throw error
            }
            _ = try query("COMMIT", failure: failure)
            return result
        }
    }
}
