public import Foundation

extension JSONValue {
    /// The deepest nesting read; deeper input is refused rather than risking the stack.
    public static let maximumDepth = 512

    /// Reads the JSON value that fills `bytes`.
    /// - Parameters:
    ///   - bytes: UTF-8 JSON text.
    ///   - maximumDepth: how many arrays and objects may nest.
    /// - Throws: ``JSONParseError`` naming the problem and its byte offset.
    public init(parsing bytes: Data, maximumDepth: Int = JSONValue.maximumDepth) throws(JSONParseError) {
        let result: Result<JSONValue, JSONParseError> = bytes.withUnsafeBytes { buffer in
            Result { () throws(JSONParseError) -> JSONValue in
                try JSONParser.parse(buffer, maximumDepth: maximumDepth)
            }
        }
        self = try result.get()
    }

    /// Reads the JSON value that fills `bytes`.
    /// - Throws: ``JSONParseError`` naming the problem and its byte offset.
    public init(parsing bytes: [UInt8], maximumDepth: Int = JSONValue.maximumDepth) throws(JSONParseError) {
        let result: Result<JSONValue, JSONParseError> = bytes.withUnsafeBytes { buffer in
            Result { () throws(JSONParseError) -> JSONValue in
                try JSONParser.parse(buffer, maximumDepth: maximumDepth)
            }
        }
        self = try result.get()
    }
}
