/// How a load is applied: how many clients, each on its own thread and socket, and how many
/// requests each keeps in flight (1: lockstep, like REQ).
package struct LoadShape: Sendable, Encodable, Hashable {
    /// Client threads, one DEALER each.
    package var clients: Int
    /// Requests each client keeps in flight.
    package var inFlight: Int

    /// Creates a shape.
    package init(clients: Int, inFlight: Int) {
        self.clients = clients
        self.inFlight = inFlight
    }

    /// The shapes of the request scenarios.
    package static let requestShapes = [
        LoadShape(clients: 1, inFlight: 1), LoadShape(clients: 8, inFlight: 1), LoadShape(clients: 8, inFlight: 8),
    ]

    /// `1 client, lockstep`, `8 clients × 8 in flight`.
    package var name: String {
        let clientsText = clients == 1 ? "1 client" : "\(clients) clients"
        return inFlight == 1 ? "\(clientsText), lockstep" : "\(clientsText) × \(inFlight) in flight"
    }
}
