extension Socket {
    /// A REP socket bound to `endpoint`: answers one request at a time.
    public static func reply(in context: Context, bindingTo endpoint: String) throws(ZMQError) -> Socket {
        let socket = try Socket(.reply, context: context)
        try socket.bind(endpoint)
        return socket
    }

    /// A REQ socket connected to `endpoint`: one request in flight, lockstep.
    public static func request(in context: Context, connectingTo endpoint: String) throws(ZMQError) -> Socket {
        let socket = try Socket(.request, context: context)
        try socket.connect(endpoint)
        return socket
    }

    /// A ROUTER socket bound to `endpoint`: every frame it receives starts with the peer's routing id.
    public static func router(in context: Context, bindingTo endpoint: String) throws(ZMQError) -> Socket {
        let socket = try Socket(.router, context: context)
        try socket.bind(endpoint)
        return socket
    }

    /// A DEALER socket connected to `endpoint`: asynchronous requests, many in flight.
    public static func dealer(in context: Context, connectingTo endpoint: String) throws(ZMQError) -> Socket {
        let socket = try Socket(.dealer, context: context)
        try socket.connect(endpoint)
        return socket
    }

    /// A PUB socket bound to `endpoint`.
    public static func publisher(in context: Context, bindingTo endpoint: String) throws(ZMQError) -> Socket {
        let socket = try Socket(.publisher, context: context)
        try socket.bind(endpoint)
        return socket
    }

    /// A SUB socket connected to `endpoint` and subscribed to each prefix in `topics`.
    public static func subscriber(
        in context: Context,
        connectingTo endpoint: String,
        topics: [String]
    ) throws(ZMQError) -> Socket {
        let socket = try Socket(.subscriber, context: context)
        for topic in topics {
            try socket.set(.subscribe, topic)
        }
        try socket.connect(endpoint)
        return socket
    }

    /// A PUSH socket connected to `endpoint`.
    public static func push(in context: Context, connectingTo endpoint: String) throws(ZMQError) -> Socket {
        let socket = try Socket(.push, context: context)
        try socket.connect(endpoint)
        return socket
    }

    /// A PULL socket bound to `endpoint`.
    public static func pull(in context: Context, bindingTo endpoint: String) throws(ZMQError) -> Socket {
        let socket = try Socket(.pull, context: context)
        try socket.bind(endpoint)
        return socket
    }
}
