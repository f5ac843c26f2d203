/// Why the calls domain refused a request; its ``code`` is the contract's GWS `statusCode`.
///
/// Equality compares only the ``code``: two refusals for the same reason are equal whatever
/// their messages say.
public struct CallsError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What kind of refusal this is.
    public var code: Code
    /// A human explanation that names the parameter, call or user concerned.
    public var message: String
    /// The error that caused this one, if any.
    public var underlying: (any Error)?

    /// Creates an error from its code, message and optional cause.
    public init(code: Code, message: String, underlying: (any Error)? = nil) {
        self.code = code
        self.message = message
        self.underlying = underlying
    }

    /// The code, status code and message, for logs.
    public var description: String {
        var text = "CallsError(\(code)): \(message)"
        if let underlying {
            text += " (underlying: \(underlying))"
        }
        return text
    }

    /// Compares the codes only.
    public static func == (lhs: CallsError, rhs: CallsError) -> Bool {
        lhs.code == rhs.code
    }
}

extension CallsError {
    /// A required parameter is missing (`statusCode` 1).
    public static func missingParameter(_ message: String) -> CallsError {
        CallsError(code: .missingParameter, message: message)
    }

    /// A parameter is not valid, or not valid in the current state (`statusCode` 2).
    public static func invalidParameter(_ message: String) -> CallsError {
        CallsError(code: .invalidParameter, message: message)
    }

    /// The request is forbidden (`statusCode` 3).
    public static func forbidden(_ message: String) -> CallsError {
        CallsError(code: .forbidden, message: message)
    }

    /// Something failed inside the service (`statusCode` 4).
    public static func `internal`(_ message: String, underlying: (any Error)? = nil) -> CallsError {
        CallsError(code: .internal, message: message, underlying: underlying)
    }

    /// The user's role does not allow this kind of request (`statusCode` 5).
    public static func noPermission(_ message: String) -> CallsError {
        CallsError(code: .noPermission, message: message)
    }

    /// The call does not exist or is not visible to the user (`statusCode` 6).
    public static func notFound(_ message: String) -> CallsError {
        CallsError(code: .notFound, message: message)
    }

    /// The user is not known (`statusCode` 20).
    public static func notAuthenticated(_ message: String) -> CallsError {
        CallsError(code: .notAuthenticated, message: message)
    }
}
