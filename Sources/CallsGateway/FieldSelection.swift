import Foundation

/// The `fields=` query parameter of the call and device routes: `*` or absent for whole objects,
/// else the keys to keep.
struct FieldSelection {
    /// The keys to keep; `nil` for whole objects.
    let keys: Set<String>?

    init(_ parameter: String?) {
        guard let parameter, !parameter.isEmpty, parameter != "*" else {
            keys = nil
            return
        }
        let names = parameter.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        keys = names.contains("*") ? nil : Set(names.filter { !$0.isEmpty })
    }

    /// `true` when whole objects are wanted.
    var isEverything: Bool { keys == nil }
}
