public import Calls
public import CallsJSON
public import Foundation

/// A decoded request frame: its operation, its user and the rest of its fields.
///
/// Decoding turns every malformed frame into a ``CallsError`` with the contract's status 1 or 2
/// and a message naming the problem; it never traps, whatever the bytes.
public struct BusRequest: Sendable, Hashable {
    /// What is asked.
    public var operation: BusOperation
    /// The principal the request speaks for; `nil` when the request named none.
    public var user: String?
    /// Every field of the request object, `op` and `user` included.
    public var fields: [String: JSONValue]

    /// Creates a request from its parts.
    public init(operation: BusOperation, user: String?, fields: [String: JSONValue] = [:]) {
        self.operation = operation
        self.user = user
        var fields = fields
        fields["op"] = .string(operation.rawValue)
        if let user { fields["user"] = .string(user) }
        self.fields = fields
    }

    /// Decodes one request frame.
    /// - Throws: ``CallsError``: 2 for bytes that are not a JSON object or an unknown `op`,
    ///   1 for a missing `op`; a `user` of the wrong type is 2.
    public init(frame: Data) throws(CallsError) {
        let value: JSONValue
        do {
            value = try JSONValue(parsing: frame)
        } catch {
            throw .invalidParameter("the request is not valid JSON: \(error)")
        }
        guard case .object(let fields) = value else {
            throw .invalidParameter("the request must be a JSON object")
        }
        guard let op = fields["op"], op != .null else { throw .missingParameter("the request has no 'op'") }
        guard case .string(let name) = op, let operation = BusOperation(rawValue: name) else {
            let known = BusOperation.allCases.map(\.rawValue).joined(separator: ", ")
            throw .invalidParameter("unknown 'op'; expected one of \(known)")
        }
        self.operation = operation
        self.fields = fields
        switch fields["user"] {
        case nil, .null?: user = nil
        case .string(let user)?: self.user = user
        default: throw .invalidParameter("'user' must be a string")
        }
    }

    /// The string field `key`.
    /// - Throws: ``CallsError``: 1 when absent, 2 when not a non-empty string.
    public func requiredString(_ key: String) throws(CallsError) -> String {
        switch fields[key] {
        case nil, .null?: throw .missingParameter("'\(key)' is required")
        case .string(let value)? where !value.isEmpty: return value
        default: throw .invalidParameter("'\(key)' must be a non-empty string")
        }
    }

    /// The string field `key`, or `nil` when absent.
    /// - Throws: ``CallsError`` 2 when present but not a string.
    public func optionalString(_ key: String) throws(CallsError) -> String? {
        switch fields[key] {
        case nil, .null?: return nil
        case .string(let value)?: return value
        default: throw .invalidParameter("'\(key)' must be a string")
        }
    }

    /// The whole-number field `key`, at least zero.
    /// - Throws: ``CallsError``: 1 when absent, 2 when not a whole number of zero or more.
    public func requiredCount(_ key: String) throws(CallsError) -> UInt64 {
        switch fields[key] {
        case nil, .null?:
            throw .missingParameter("'\(key)' is required")
        case .number(let value)? where value >= 0 && value < 9.0e15 && value.rounded() == value:
            return UInt64(value)
        default:
            throw .invalidParameter("'\(key)' must be a whole number of zero or more")
        }
    }

    /// The request as one frame of JSON (keys sorted), as a client sends it.
    public func encoded() -> Data {
        var writer = JSONWriter()
        writer.value(.object(fields))
        return writer.data
    }
}
