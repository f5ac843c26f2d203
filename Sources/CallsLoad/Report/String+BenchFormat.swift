import Foundation

/// Number formats of the report: counts with thousands separators, fixed decimals.
extension String {
    /// `value` with `decimals` decimals (`0.853`).
    package init(_ value: Double, decimals: Int) {
        self = String(format: "%.\(decimals)f", value)
    }

    /// `value` with two decimals (`1.07`).
    package init(format2 value: Double) {
        self.init(value, decimals: 2)
    }

    /// `value` with one decimal (`48.3`).
    package init(format1 value: Double) {
        self.init(value, decimals: 1)
    }

    /// A whole count with thousands separators (`100,000`); rounds a `Double`.
    package init(count value: Double) {
        let digits = String(Int(value.rounded()))
        var grouped = ""
        for (offset, character) in digits.reversed().enumerated() {
            if offset > 0, offset % 3 == 0, character != "-" { grouped.append(",") }
            grouped.append(character)
        }
        self = String(grouped.reversed())
    }

    /// A whole count with thousands separators.
    package init(count value: Int) {
        self.init(count: Double(value))
    }

    /// `value` as a percentage with no decimals (`83%`).
    package init(percent value: Double) {
        self = String(format: "%.0f%%", value * 100)
    }
}
