extension CallsError {
    /// The kind of a ``CallsError``: one of the contract's GWS status codes.
    ///
    /// A struct over a private enum, so that adding a code later breaks no `switch` of a client.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Value: Hashable, Sendable {
            case missingParameter
            case invalidParameter
            case forbidden
            case `internal`
            case noPermission
            case notFound
            case notAuthenticated
        }

        private var value: Value

        private init(_ value: Value) {
            self.value = value
        }

        /// A required parameter is missing: `statusCode` 1.
        public static let missingParameter = Code(.missingParameter)
        /// A parameter is not valid, or not valid in the current state: `statusCode` 2.
        public static let invalidParameter = Code(.invalidParameter)
        /// Forbidden: `statusCode` 3.
        public static let forbidden = Code(.forbidden)
        /// Internal error: `statusCode` 4.
        public static let `internal` = Code(.internal)
        /// No permission for this operation: `statusCode` 5.
        public static let noPermission = Code(.noPermission)
        /// Not found, or not visible to this user: `statusCode` 6.
        public static let notFound = Code(.notFound)
        /// Not authenticated: `statusCode` 20.
        public static let notAuthenticated = Code(.notAuthenticated)

        /// Every code, in `statusCode` order.
        public static let allCodes: [Code] = [
            .missingParameter, .invalidParameter, .forbidden, .internal, .noPermission, .notFound, .notAuthenticated,
        ]

        /// The GWS `statusCode` of a reply carrying this error.
        public var statusCode: Int {
            switch value {
            case .missingParameter: 1
            case .invalidParameter: 2
            case .forbidden: 3
            case .internal: 4
            case .noPermission: 5
            case .notFound: 6
            case .notAuthenticated: 20
            }
        }

        /// The code of a GWS `statusCode`; `nil` for 0 (success) and for numbers the contract does not define.
        public init?(statusCode: Int) {
            guard let code = Code.allCodes.first(where: { $0.statusCode == statusCode }) else {
                return nil
            }
            self = code
        }

        /// The code's name and status code, such as `notFound (6)`.
        public var description: String {
            let name =
                switch value {
                case .missingParameter: "missingParameter"
                case .invalidParameter: "invalidParameter"
                case .forbidden: "forbidden"
                case .internal: "internal"
                case .noPermission: "noPermission"
                case .notFound: "notFound"
                case .notAuthenticated: "notAuthenticated"
                }
            return "\(name) (\(statusCode))"
        }
    }
}
