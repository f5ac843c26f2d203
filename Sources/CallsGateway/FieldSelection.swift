import Foundation

/// The `fields=` query parameter: `*` or absent for whole calls, else the keys to keep.
struct FieldSelection {
    /// The keys to keep; `nil` for whole calls.
    let keys: Set<String>?

    init(_ parameter: String?) {
        guard let parameter, !parameter.isEmpty, parameter != "*" else {
            keys = nil
            return
        }
        let names = parameter.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        keys = names.contains("*") ? nil : Set(names.filter { !$0.isEmpty })
    }

    /// `true` when whole calls are wanted.
    var isEverything: Bool { keys == nil }
}
