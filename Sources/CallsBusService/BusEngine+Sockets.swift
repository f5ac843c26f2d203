import Calls
import Foundation
import Logging
import ZMQ

extension BusEngine {
    /// Binds the request ROUTER and the events PUB, with CURVE and its ZAP handler when configured.
    /// - Throws: ``BusServiceError``: an endpoint beyond loopback without CURVE (unless insecure
    ///   binds are allowed), an unusable key file or clients folder, an endpoint that cannot be bound.
    static func makeSockets(
        configuration: BusConfiguration,
        policy: AccessPolicy,
        context: Context,
        logger: Logger
    ) throws -> (router: Socket, publisher: Socket, gate: CurveGate?, keys: CurveKeyPair?) {
        let keys = try serverKeys(configuration)
        if keys == nil, !configuration.allowsInsecureBind {
            for endpoint in [configuration.requestEndpoint, configuration.eventsEndpoint]
            where !Endpoint(endpoint).isLoopback {
                throw BusServiceError(
                    code: .insecureBind,
                    message: """
                        refusing to bind \(endpoint) without CURVE: anyone who reaches it could act as any user. \
                        Generate keys with 'calls keys generate bus' and start with --curve-secret-key-file and \
                        --curve-clients, or pass --insecure to bind without encryption anyway
                        """
                )
            }
        }
        var gate: CurveGate?
        if keys != nil, let folder = configuration.curveClientsDirectory {
            // The handler must be bound before the CURVE sockets, or libzmq admits no one.
            let clients = try CurveClients(directory: folder, principals: policy.directory)
            do {
                gate = try CurveGate(context: context, clients: clients, policy: policy, logger: logger)
            } catch {
                throw BusServiceError(code: .socketFailed, message: "cannot start the ZAP handler", underlying: error)
            }
        }
        let router = try bind(.router, configuration.requestEndpoint, in: context) { socket in
            try secure(socket, keys: keys, domain: CurveGate.requestsDomain)
            try socket.set(.maxMessageSize, configuration.maxFrameSize)
            // Per connection, each way: a client that sends without reading its replies loses
            // the replies past this mark instead of growing the bus without bound.
            try socket.set(.sendHighWaterMark, 1_000)
            try socket.set(.receiveHighWaterMark, 1_000)
        }
        let publisher = try bindPublisher(
            configuration: configuration, endpoint: configuration.eventsEndpoint, keys: keys, context: context)
        return (router, publisher, gate, keys)
    }

    /// Binds the events PUB socket at `endpoint`.
    static func bindPublisher(
        configuration: BusConfiguration, endpoint: String, keys: CurveKeyPair?, context: Context
    ) throws -> Socket {
        try bind(.publisher, endpoint, in: context) { socket in
            try secure(socket, keys: keys, domain: CurveGate.eventsDomain)
            try socket.set(.sendHighWaterMark, configuration.publisherHighWaterMark)
        }
    }

    private static func serverKeys(_ configuration: BusConfiguration) throws -> CurveKeyPair? {
        guard let file = configuration.curveSecretKeyFile else { return nil }
        guard configuration.curveClientsDirectory != nil else {
            throw BusServiceError(
                code: .curveUnusable, message: "--curve-secret-key-file needs --curve-clients DIR too")
        }
        do {
            guard let pair = try CurveCertificate(contentsOf: file).keyPair else {
                throw BusServiceError(
                    code: .curveUnusable, message: "\(file) is not a secret certificate (no valid secret-key)")
            }
            return pair
        } catch let error as CurveCertificateError {
            throw BusServiceError(code: .curveUnusable, message: "\(error)")
        }
    }

    /// CURVE on, when there are keys, and ZMTP heartbeats always, so dead peers are noticed.
    private static func secure(_ socket: Socket, keys: CurveKeyPair?, domain: String) throws {
        try socket.set(.heartbeatInterval, .seconds(1))
        try socket.set(.heartbeatTimeout, .seconds(5))
        try socket.set(.heartbeatTimeToLive, .seconds(10))
        guard let keys else { return }
        try socket.set(.zapDomain, domain)
        try socket.set(.curveServer, true)
        try socket.set(.curveSecretKey, keys.secretKey)
    }

    private static func bind(
        _ type: SocketType,
        _ endpoint: String,
        in context: Context,
        configure: (Socket) throws -> Void
    ) throws -> Socket {
        do {
            let socket = try Socket(type, context: context, linger: .milliseconds(100))
            try configure(socket)
            try socket.bind(endpoint)
            return socket
        } catch {
            throw BusServiceError(
                code: .cannotBind, message: "cannot bind \(type) socket to \(endpoint)", underlying: error)
        }
    }
}
