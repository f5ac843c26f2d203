internal import CZMQ

/// A CURVE long-term key pair: the public key to hand out, the secret key to keep.
public struct CurveKeyPair: Sendable, Hashable {
    /// The key peers use to reach or recognise this side.
    public let publicKey: CurveKey
    /// The key that proves this side's identity; never log or send it.
    public let secretKey: CurveKey

    /// Generates a fresh random key pair.
    /// - Throws: ``ZMQError`` with ``ZMQError/Code/notSupported`` when libzmq lacks CURVE.
    public static func generate() throws(ZMQError) -> CurveKeyPair {
        var publicText = [CChar](repeating: 0, count: 41)
        var secretText = [CChar](repeating: 0, count: 41)
        guard zmq_curve_keypair(&publicText, &secretText) == 0 else {
            throw ZMQError.last("zmq_curve_keypair")
        }
        return CurveKeyPair(publicKey: try key(fromZ85: publicText), secretKey: try key(fromZ85: secretText))
    }

    /// Rebuilds the pair from its secret key, deriving the public key.
    /// - Throws: ``ZMQError`` when libzmq lacks CURVE.
    public init(secretKey: CurveKey) throws(ZMQError) {
        var publicText = [CChar](repeating: 0, count: 41)
        let secretText = secretKey.z85
        guard zmq_curve_public(&publicText, secretText) == 0 else {
            throw ZMQError.last("zmq_curve_public")
        }
        self.init(publicKey: try Self.key(fromZ85: publicText), secretKey: secretKey)
    }

    private init(publicKey: CurveKey, secretKey: CurveKey) {
        self.publicKey = publicKey
        self.secretKey = secretKey
    }

    private static func key(fromZ85 text: [CChar]) throws(ZMQError) -> CurveKey {
        let string = String(decoding: text.prefix(40).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        guard let key = CurveKey(z85: string) else { throw ZMQError(errno: EINVAL, call: "zmq_z85_decode") }
        return key
    }
}
