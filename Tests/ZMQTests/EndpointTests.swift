import Testing
import ZMQ

struct EndpointTests {
    @Test(arguments: [
        ("tcp://127.0.0.1:5555", true),
        ("tcp://127.0.0.2:*", true),
        ("tcp://localhost:5555", true),
        ("tcp://[::1]:5555", true),
        ("tcp://*:5555", false),
        ("tcp://0.0.0.0:5555", false),
        ("tcp://10.1.2.3:5555", false),
        ("tcp://eth0;127.0.0.1:5555", true),
        ("ipc:///tmp/calls/req", true),
        ("inproc://bus", true),
        ("pgm://239.192.1.1:5555", false),
        ("nonsense", false),
    ])
    func knowsWhetherAnEndpointStaysOnThisMachine(endpoint: String, isLoopback: Bool) {
        #expect(Endpoint(endpoint).isLoopback == isLoopback)
    }

    @Test func buildsAndTakesApartEndpoints() {
        let tcp = Endpoint.tcp(port: 5555)
        #expect(tcp.description == "tcp://127.0.0.1:5555")
        #expect(tcp.transport == "tcp")
        #expect(tcp.host == "127.0.0.1")
        #expect(Endpoint.tcp(host: "*", port: nil).description == "tcp://*:*")
        #expect(Endpoint.ipc(path: "/tmp/x").address == "/tmp/x")
        #expect(Endpoint.inproc(name: "bus").transport == "inproc")
        let literal: Endpoint = "tcp://[::1]:80"
        #expect(literal.host == "::1")
        #expect(Endpoint("nonsense").transport == nil)
    }
}
