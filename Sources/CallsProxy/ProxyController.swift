import Logging
import ZMQ

/// Steers the proxy from a thread of its own: every `interval` it logs what the proxy moved, and
/// on graceful shutdown it tells the proxy to stop.
final class ProxyController {
    private let socket: Socket
    private let interval: Duration
    private let logger: Logger
    private var last: ProxyStatistics?

    /// Connects to the proxy's control socket (it may bind later: inproc queues until then).
    init(context: Context, interval: Duration, logger: Logger) throws {
        socket = try Socket(.pair, context: context)
        try socket.connect(CallsProxyService.controlEndpoint)
        self.interval = interval
        self.logger = logger
    }

    /// Logs the counts every interval until `stop` is posted (then terminates the proxy) or the context shuts down.
    func run(stop: Mailbox<Void>) throws {
        let poller = Poller()
        let stopIndex = poller.register(stop)
        do {
            while true {
                try poller.poll(timeout: interval)
                if poller.isReadable(at: stopIndex) {
                    logger.notice("proxy stopping")
                    log(try Proxy.statistics(over: socket, timeout: .seconds(1)))
                    try Proxy.terminate(over: socket)
                    return
                }
                log(try Proxy.statistics(over: socket, timeout: .seconds(5)))
            }
        } catch {
            if error.isTerminated { return }
            throw error
        }
    }

    private func log(_ statistics: ProxyStatistics?) {
        guard let statistics else { return }
        let previous = last
        last = statistics
        logger.info(
            "proxy statistics",
            metadata: [
                "proxy.events.in": "\(statistics.frontendReceivedMessages)",
                "proxy.events.out": "\(statistics.backendSentMessages)",
                "proxy.events.in.recent":
                    "\(statistics.frontendReceivedMessages - (previous?.frontendReceivedMessages ?? 0))",
                "proxy.subscriptions.in": "\(statistics.backendReceivedMessages)",
                "proxy.subscriptions.up": "\(statistics.frontendSentMessages)",
                "proxy.bytes.in": "\(statistics.frontendReceivedBytes)",
            ])
    }
}
