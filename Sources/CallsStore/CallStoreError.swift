/// A failure of the durable store: it could not be opened, read or written.
public struct CallStoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong, as a set that can grow without breaking callers.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: Hashable, Sendable {
            case cannotOpen
            case corrupt
            case writeFailed
            case readFailed
            case locked
            case newerFormat
            case fenced
        }

        private let base: Base

        private init(_ base: Base) { self.base = base }

        /// The file could not be opened or created (missing folder, no permission, not SQLite).
        public static let cannotOpen = Code(.cannotOpen)
        /// A stored row could not be decoded.
        public static let corrupt = Code(.corrupt)
        /// A transaction failed; nothing of it was kept.
        public static let writeFailed = Code(.writeFailed)
        /// A query failed.
        public static let readFailed = Code(.readFailed)
        /// Another store (another bus) has the file open.
        public static let locked = Code(.locked)
        /// A newer version wrote the file, in a format this one cannot read.
        public static let newerFormat = Code(.newerFormat)
        /// Another bus of the group holds the store's lease now: this one may never commit again.
        public static let fenced = Code(.fenced)

        public var description: String { "\(base)" }
    }

    /// The category of the failure.
    public var code: Code
    /// A sentence for a person.
    public var message: String
    /// The SQLite or decoding error behind it.
    public var underlying: (any Error)?

    /// Creates an error.
    public init(code: Code, message: String, underlying: (any Error)? = nil) {
        self.code = code
        self.message = message
        self.underlying = underlying
    }

    public var description: String {
        guard let underlying else { return message }
        return "\(message): \(underlying)"
    }

    public static func == (lhs: CallStoreError, rhs: CallStoreError) -> Bool { lhs.code == rhs.code }
}
