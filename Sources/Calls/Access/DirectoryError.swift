/// Why a directory was refused; its message names the principal and the rule it breaks.
public struct DirectoryError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The broken rule, as a struct over a private enum so that codes can be added.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Value: String, Hashable, Sendable {
            case unreadable, invalidJSON, missingId, invalidId, invalidRole, duplicateId, sharedDevice, invalidDevice
            case invalidPasswordHash, telephonyWithDevices
        }

        private var value: Value

        private init(_ value: Value) {
            self.value = value
        }

        /// The file could not be read.
        public static let unreadable = Code(.unreadable)
        /// The bytes are not JSON, or not shaped like `{"principals": [...]}`.
        public static let invalidJSON = Code(.invalidJSON)
        /// A principal has no id, or an empty one.
        public static let missingId = Code(.missingId)
        /// A principal has no role, or one that is not `ContactCenterAdmin`, `Agent` or `Telephony`.
        public static let invalidRole = Code(.invalidRole)
        /// An id breaks the rule of contract section 11 (length, characters, or `-` alone).
        public static let invalidId = Code(.invalidId)
        /// Two principals share an id.
        public static let duplicateId = Code(.duplicateId)
        /// Two principals own the same device.
        public static let sharedDevice = Code(.sharedDevice)
        /// A device id is empty or not a string.
        public static let invalidDevice = Code(.invalidDevice)
        /// A `passwordHash` is not a bcrypt hash.
        public static let invalidPasswordHash = Code(.invalidPasswordHash)
        /// A `Telephony` principal owns devices.
        public static let telephonyWithDevices = Code(.telephonyWithDevices)

        /// The code's name.
        public var description: String {
            value.rawValue
        }
    }

    /// The broken rule.
    public var code: Code
    /// What is wrong, naming the principal.
    public var message: String
    /// The error that caused this one, such as the file system's or the JSON parser's.
    public var underlying: (any Error)?

    /// Creates an error.
    public init(code: Code, message: String, underlying: (any Error)? = nil) {
        self.code = code
        self.message = message
        self.underlying = underlying
    }

    /// The code and message, for the message that stops the program.
    public var description: String {
        var text = "invalid directory (\(code)): \(message)"
        if let underlying {
            text += " (\(underlying))"
        }
        return text
    }

    /// Compares the codes only.
    public static func == (lhs: DirectoryError, rhs: DirectoryError) -> Bool {
        lhs.code == rhs.code
    }
}
