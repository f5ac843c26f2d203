package import Configuration

extension ConfigReader {
    /// The string under `key`; an empty one counts as absent (shells make it easy to export one by mistake).
    package func text(_ key: String) -> String? {
        guard let value = string(forKey: ConfigKey(key)), !value.isEmpty else { return nil }
        return value
    }

    /// One endpoint or a comma-separated list of them under `key` (every bus of a group), if present;
    /// blanks around each item are ignored.
    /// - Throws: ``ConfigurationValueError`` naming the flag and the item when an item is empty or
    ///   not an endpoint (`tcp://HOST:PORT`, `ipc://PATH`, `inproc://NAME`).
    /// - Parameter binding: the endpoints are to be bound: a TCP port may be `*` or `0`.
    package func endpoints(_ key: String, binding: Bool = false) throws(ConfigurationValueError) -> [String]? {
        guard let text = text(key) else { return nil }
        return try EndpointList.parse(text, key: key, binding: binding)
    }

    /// A number of seconds above 0 (and at most `maximum`) under `key`, if present.
    /// - Throws: ``ConfigurationValueError`` naming the flag.
    package func seconds(_ key: String, maximum: Double = .infinity) throws(ConfigurationValueError) -> Duration? {
        guard let text = text(key) else { return nil }
        guard let seconds = Double(text), seconds > 0, seconds.isFinite, seconds <= maximum else {
            let limit = maximum.isFinite ? " and at most \(Int(maximum))" : ""
            throw ConfigurationValueError(key: key, message: "must be a number of seconds above 0\(limit)")
        }
        return .milliseconds(Int64((seconds * 1000).rounded()))
    }

    /// A whole number of at least `minimum` under `key`, if present.
    /// - Throws: ``ConfigurationValueError`` naming the flag.
    package func count(_ key: String, minimum: Int) throws(ConfigurationValueError) -> Int? {
        guard let text = text(key) else { return nil }
        guard let count = Int(text), count >= minimum else {
            throw ConfigurationValueError(key: key, message: "must be a whole number of at least \(minimum)")
        }
        return count
    }

    /// `true` or `false` (any case) under `key`, if present.
    /// - Throws: ``ConfigurationValueError`` naming the flag.
    package func flag(_ key: String) throws(ConfigurationValueError) -> Bool? {
        guard let text = text(key) else { return nil }
        guard let flag = Bool(text.lowercased()) else {
            throw ConfigurationValueError(key: key, message: "must be true or false")
        }
        return flag
    }

    /// Two paths that go together (a certificate and its key): both or neither.
    /// - Throws: ``ConfigurationValueError`` naming both flags when only one is present.
    package func pair(_ first: String, _ second: String, purpose: String) throws(ConfigurationValueError) -> (
        String, String
    )? {
        switch (text(first), text(second)) {
        case (let one?, let other?): return (one, other)
        case (nil, nil): return nil
        default:
            throw ConfigurationValueError(
                key: first,
                message: "and --\(ConfigurationValueError.flag(for: second)) go together: \(purpose) needs both")
        }
    }
}

/// A configuration value that is present but unusable, named as the user typed it (`--bus-timeout`).
public struct ConfigurationValueError: Error, Sendable, CustomStringConvertible {
    /// The flag's name, without dashes (`bus-timeout`).
    public var flag: String
    /// What the value must be.
    public var message: String

    /// Creates an error for the configuration key `key` (`busTimeout`), named by its flag.
    public init(key: String, message: String) {
        flag = Self.flag(for: key)
        self.message = message
    }

    public var description: String { "--\(flag) \(message)" }

    /// The flag a configuration key comes from: `busTimeout` -> `bus-timeout`.
    public static func flag(for key: String) -> String {
        var flag = ""
        for character in key {
            if character.isUppercase {
                flag += "-" + character.lowercased()
            } else {
                flag.append(character)
            }
        }
        return flag
    }
}
