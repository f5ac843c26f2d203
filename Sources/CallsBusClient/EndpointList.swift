import Foundation

/// A client's endpoints of one kind (requests or events): one bus, or every bus of a group,
/// written as a comma-separated list (contract section 7).
package enum EndpointList {
    /// The transports a client may connect over.
    static let transports: Set<String> = ["tcp", "ipc", "inproc"]

    /// The items of `text`, trimmed, in the order given; duplicates are dropped.
    /// - Parameters:
    ///   - text: `tcp://10.0.0.1:5555,tcp://10.0.0.2:5555`, or a single endpoint.
    ///   - key: the configuration key the text came from, to name the flag in an error.
    ///   - binding: the endpoints are to be bound, so a TCP port may also be `*` or `0` (any free port).
    /// - Throws: ``ConfigurationValueError`` naming the flag and the offending item.
    package static func parse(
        _ text: String, key: String, binding: Bool = false
    ) throws(ConfigurationValueError) -> [String] {
        var endpoints: [String] = []
        for (index, rawItem) in text.split(separator: ",", omittingEmptySubsequences: false).enumerated() {
            let item = rawItem.trimmingCharacters(in: .whitespaces)
            guard !item.isEmpty else {
                throw ConfigurationValueError(
                    key: key, message: "has an empty item (number \(index + 1)) in '\(text)': remove the extra comma")
            }
            if let problem = problem(with: item, binding: binding) {
                throw ConfigurationValueError(key: key, message: "item '\(item)' is not an endpoint: \(problem)")
            }
            if !endpoints.contains(item) { endpoints.append(item) }
        }
        return endpoints
    }

    /// The items of a configuration value already checked (or given in code), trimmed; empty items are skipped.
    static func items(_ text: String) -> [String] {
        var endpoints: [String] = []
        for rawItem in text.split(separator: ",") {
            let item = rawItem.trimmingCharacters(in: .whitespaces)
            if !item.isEmpty, !endpoints.contains(item) { endpoints.append(item) }
        }
        return endpoints
    }

    /// What is wrong with one endpoint, or `nil` when it looks connectable.
    private static func problem(with item: String, binding: Bool) -> String? {
        guard let separator = item.range(of: "://") else {
            return "expected TRANSPORT://ADDRESS, such as tcp://127.0.0.1:5555"
        }
        let transport = String(item[..<separator.lowerBound])
        let address = item[separator.upperBound...]
        guard transports.contains(transport) else {
            return "unknown transport '\(transport)' (tcp, ipc or inproc)"
        }
        guard !address.isEmpty else { return "no address after \(transport)://" }
        guard transport == "tcp" else { return nil }
        guard let colon = address.lastIndex(of: ":"), address.startIndex < colon else {
            return "a TCP endpoint needs HOST:PORT"
        }
        let port = address[address.index(after: colon)...]
        if binding, port == "*" || port == "0" { return nil }
        guard let number = Int(port), (1...65_535).contains(number) else {
            return "a TCP endpoint needs HOST:PORT with a port from 1 to 65535\(binding ? " (or * for any)" : "")"
        }
        return nil
    }
}
