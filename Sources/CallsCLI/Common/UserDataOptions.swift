import ArgumentParser
import CallsJSON

/// The `--data KEY=VALUE` pairs of a request that carries `userData` (`dial`, `operate`).
struct UserDataOptions: ParsableArguments {
    /// User-data pairs, `KEY=VALUE` each.
    @Option(
        name: [.customLong("data"), .customLong("user-data")],
        help: ArgumentHelp(
            "A user-data pair (AttachUserData, UpdateUserData, InitiateTransfer, InitiateConference, dial); "
                + "repeat for more.",
            valueName: "KEY=VALUE"))
    var data: [String] = []

    /// Checks the pairs; a failure is a usage error (exit 2).
    func validate() throws {
        for pair in data where !pair.contains("=") || pair.hasPrefix("=") {
            throw ValidationError("--data '\(pair)' must be KEY=VALUE with a non-empty key")
        }
    }

    /// The pairs as a `userData` object; `nil` when none were given. A key given twice keeps its last value.
    var userData: JSONValue? {
        guard !data.isEmpty else { return nil }
        var pairs: [String: JSONValue] = [:]
        for pair in data {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            pairs[String(parts[0])] = .string(parts.count > 1 ? String(parts[1]) : "")
        }
        return .object(pairs)
    }
}
