public import CallsBusClient
public import Configuration

extension KamailioAdapterConfiguration {
    /// Reads the adapter's keys relative to `reader`'s scope (the Main scopes it to `calls`, so the
    /// environment variables are `CALLS_KAMAILIO_EVAPI`…); every key is optional:
    /// - `kamailioEvapi` (`HOST:PORT`, default `127.0.0.1:8448`): Kamailio's evapi server.
    /// - `kamailioRpcFifo` (path, default `/run/kamailio/kamailio_rpc.fifo`): the jsonrpcs FIFO.
    /// - `kamailioRpcReplyDirectory` (path, default `/run/calls-kamailio`): the module's `fifo_reply_dir`.
    /// - `kamailioRpcTimeout` (seconds, default 2).
    /// - `kamailioUser` (principal id, default `switch-1`): the `Telephony` principal.
    /// - `kamailioObserver` (principal id, default `admin`): a principal that sees every call.
    /// - Throws: ``CallsBusClient/ConfigurationValueError`` naming the flag of a value that is not valid.
    public init(reader: ConfigReader) throws(ConfigurationValueError) {
        self.init()
        if let address = reader.text("kamailioEvapi") {
            guard let colon = address.lastIndex(of: ":"), let port = Int(address[address.index(after: colon)...]),
                (1...65535).contains(port), colon != address.startIndex
            else {
                throw ConfigurationValueError(key: "kamailioEvapi", message: "must be HOST:PORT, not \(address)")
            }
            evapiHost = String(address[..<colon])
            evapiPort = port
        }
        if let path = reader.text("kamailioRpcFifo") { rpcFIFO = path }
        if let path = reader.text("kamailioRpcReplyDirectory") { rpcReplyDirectory = path }
        if let timeout = try reader.seconds("kamailioRpcTimeout") { rpcTimeout = timeout }
        if let user = reader.text("kamailioUser") { telephonyUser = user }
        if let user = reader.text("kamailioObserver") { observerUser = user }
    }
}
