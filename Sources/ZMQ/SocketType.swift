internal import CZMQ

/// The ZeroMQ socket patterns.
public enum SocketType: Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case request
    case reply
    case dealer
    case router
    case publisher
    case subscriber
    case extendedPublisher
    case extendedSubscriber
    case push
    case pull
    case pair

    var rawValue: Int32 {
        switch self {
        case .request: ZMQ_REQ
        case .reply: ZMQ_REP
        case .dealer: ZMQ_DEALER
        case .router: ZMQ_ROUTER
        case .publisher: ZMQ_PUB
        case .subscriber: ZMQ_SUB
        case .extendedPublisher: ZMQ_XPUB
        case .extendedSubscriber: ZMQ_XSUB
        case .push: ZMQ_PUSH
        case .pull: ZMQ_PULL
        case .pair: ZMQ_PAIR
        }
    }

    /// The name libzmq uses (`REQ`, `ROUTER`, `XPUB`).
    public var description: String {
        switch self {
        case .request: "REQ"
        case .reply: "REP"
        case .dealer: "DEALER"
        case .router: "ROUTER"
        case .publisher: "PUB"
        case .subscriber: "SUB"
        case .extendedPublisher: "XPUB"
        case .extendedSubscriber: "XSUB"
        case .push: "PUSH"
        case .pull: "PULL"
        case .pair: "PAIR"
        }
    }
}
