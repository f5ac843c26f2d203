internal import CZMQ

extension Socket {
    /// Sets a socket option: `try socket.set(.sendHighWaterMark, 100_000)`.
    /// - Throws: ``ZMQError`` from `zmq_setsockopt` (a value out of range, a closed context).
    public func set<Value>(_ option: SocketOption<Value>, _ value: Value) throws(ZMQError) {
        switch option.encoding {
        case .int32:
            try setRaw(option.name, Int32(clamping: value as! Int))
        case .int64:
            try setRaw(option.name, Int64(value as! Int))
        case .bool:
            try setRaw(option.name, Int32((value as! Bool) ? 1 : 0))
        case .milliseconds:
            try setRaw(option.name, Int32(clamping: (value as! Duration).roundedUpMilliseconds))
        case .optionalMilliseconds:
            try setRaw(option.name, Int32(clamping: (value as! Duration?)?.roundedUpMilliseconds ?? -1))
        case .optionalInt64:
            try setRaw(option.name, Int64((value as! Int?) ?? -1))
        case .bytes:
            try setBytes(option.name, value as! [UInt8])
        case .string:
            try setBytes(option.name, Array((value as! String).utf8))
        case .curveKey:
            try setBytes(option.name, (value as! CurveKey).bytes)
        }
    }

    /// Reads a socket option: `let port = try socket.get(.lastEndpoint)`.
    /// - Throws: ``ZMQError`` from `zmq_getsockopt`, e.g. for a write-only option.
    public func get<Value>(_ option: SocketOption<Value>) throws(ZMQError) -> Value {
        switch option.encoding {
        case .int32:
            return Int(try getRaw(option.name, as: Int32.self)) as! Value
        case .int64:
            return Int(try getRaw(option.name, as: Int64.self)) as! Value
        case .bool:
            return (try getRaw(option.name, as: Int32.self) != 0) as! Value
        case .milliseconds:
            return Duration.milliseconds(try getRaw(option.name, as: Int32.self)) as! Value
        case .optionalMilliseconds:
            let value = try getRaw(option.name, as: Int32.self)
            return (value < 0 ? nil : Duration.milliseconds(value)) as! Value
        case .optionalInt64:
            let value = try getRaw(option.name, as: Int64.self)
            return (value < 0 ? nil : Int(value)) as! Value
        case .bytes:
            return try getBytes(option.name) as! Value
        case .string:
            // libzmq counts the C string's terminating NUL in the returned size.
            let bytes = try getBytes(option.name)
            return String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self) as! Value
        case .curveKey:
            let bytes = try getBytes(option.name, capacity: 32)
            return CurveKey(bytes: bytes)! as! Value
        }
    }

    private func setRaw<Integer: FixedWidthInteger>(_ name: Int32, _ value: Integer) throws(ZMQError) {
        var copy = value
        try check("zmq_setsockopt") { zmq_setsockopt(handle, name, &copy, MemoryLayout<Integer>.size) }
    }

    private func setBytes(_ name: Int32, _ bytes: [UInt8]) throws(ZMQError) {
        try check("zmq_setsockopt") {
            bytes.withUnsafeBytes { zmq_setsockopt(handle, name, $0.baseAddress, $0.count) }
        }
    }

    private func getRaw<Integer: FixedWidthInteger>(_ name: Int32, as type: Integer.Type) throws(ZMQError) -> Integer {
        var value = Integer.zero
        var size = MemoryLayout<Integer>.size
        try check("zmq_getsockopt") { zmq_getsockopt(handle, name, &value, &size) }
        return value
    }

    private func getBytes(_ name: Int32, capacity: Int = 1024) throws(ZMQError) -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: capacity)
        var size = capacity
        try check("zmq_getsockopt") {
            buffer.withUnsafeMutableBytes { zmq_getsockopt(handle, name, $0.baseAddress, &size) }
        }
        return Array(buffer.prefix(size))
    }
}
