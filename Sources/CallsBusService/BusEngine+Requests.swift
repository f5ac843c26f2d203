import Foundation
import ZMQ

extension BusEngine {
    /// The one reply for a request, whatever its frames hold: the core serves it, with the
    /// connection's principal looked up now, so that a key revoked since it connected is refused.
    func serve(_ envelope: RequestEnvelope) -> Data {
        let connection: BusCore.Connection =
            gate.map { .curve(principal: $0.principal(ofConnection: envelope.userId)) } ?? .open
        let request = BusCore.Request(
            frame: envelope.body.first?.data, frameCount: envelope.bodyCount, connection: connection)
        return core.serve(request, makeDurable: makeEverythingDurable)
    }

    /// What `events.replay` asks for before it reads the history.
    private func makeEverythingDurable() throws {
        do {
            try commitEverything()
        } catch let error as BusServiceError {
            // The stored state could not be read back after a failed commit: the loop stops.
            mustStop = error
            throw error
        }
    }
}
