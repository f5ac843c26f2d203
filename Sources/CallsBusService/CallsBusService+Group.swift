import Calls
import CallsStore
import CallsStorePostgres
import Logging

extension CallsBusService {
    /// The group membership of a bus given `--database-url`; `nil` for a bus alone on its file.
    ///
    /// The database is checked here, before anything is bound: an unreachable server, refused
    /// credentials, another application's tables, a newer format or a server that does not
    /// commit durably stop the bus at start with one line, never a half-started bus. Once
    /// started, a database that goes away is waited for (the bus stands by until it is back).
    static func groupMember(
        _ configuration: BusConfiguration, _ directory: Directory, _ logger: Logger
    ) throws(BusServiceError) -> BusGroupMember? {
        guard let text = configuration.databaseURL else { return nil }
        let url: PostgresURL
        let lease: PostgresLease
        do {
            url = try PostgresURL(text)
            lease = try PostgresLease(url: url, timeout: configuration.leaseTimeout)
            // Opened once without the lease: it checks the tables and the durability settings.
            try PostgresCallStore(url: url, epoch: 0, eventHistory: configuration.eventHistory).close()
        } catch {
            throw BusServiceError(code: .stateUnavailable, message: error.message)
        }
        logger.info(
            "bus in a group",
            metadata: [
                "bus.state": "\(url.location)", "bus.lease.timeout": "\(configuration.leaseTimeout)",
                "bus.lease.holder": "\(lease.holder)",
            ])
        let eventHistory = configuration.eventHistory
        // Within the lease: a commit that hangs, or a transaction left open by a paused bus (which
        // the server then ends), keeps a standby waiting no longer than about one lease.
        let statementTimeout = max(1, min(5, configuration.leaseTimeout))
        return BusGroupMember(
            lease: lease,
            openStore: { epoch throws(CallStoreError) in
                try PostgresCallStore(
                    url: url, epoch: epoch, eventHistory: eventHistory, timeout: statementTimeout)
            },
            configuration: configuration, directory: directory, logger: logger)
    }
}
