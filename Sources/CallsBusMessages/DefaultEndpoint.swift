/// The contract's default bus endpoints (section 5), written once: the bus binds them and its
/// clients connect to them unless told otherwise.
public enum DefaultEndpoint {
    /// The request socket, on loopback.
    public static let request = "tcp://127.0.0.1:5555"
    /// The events socket, on loopback, on the port after the request socket's.
    public static let events = "tcp://127.0.0.1:5556"
}
