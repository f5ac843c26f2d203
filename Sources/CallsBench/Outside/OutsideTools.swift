/// The programs the outside measurement runs, each as a process of its own.
public struct OutsideTools: Sendable, Encodable {
    /// The `calls-bus` executable under test (the release build).
    public var bus: String
    /// `calls-zmq-load`, the C load generator of `Tests/bench`.
    public var loadGenerator: String
    /// `calls-zmq-raw-router`, the raw libzmq server of `Tests/bench`.
    public var rawRouter: String
    /// The `calls-gateway` executable of the CometD fan-out (the release build).
    public var gateway: String

    /// Names each program.
    public init(bus: String, loadGenerator: String, rawRouter: String, gateway: String) {
        self.bus = bus
        self.loadGenerator = loadGenerator
        self.rawRouter = rawRouter
        self.gateway = gateway
    }

    /// The three in `folder`, where `make bench` puts them beside `calls-bench`.
    public init(in folder: String) {
        self.init(
            bus: "\(folder)/calls-bus", loadGenerator: "\(folder)/calls-zmq-load",
            rawRouter: "\(folder)/calls-zmq-raw-router", gateway: "\(folder)/calls-gateway")
    }
}
