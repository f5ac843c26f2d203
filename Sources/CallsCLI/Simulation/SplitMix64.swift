import Foundation

/// A small, fast, seeded random number generator (Steele, Lea and Flood's SplitMix64).
///
/// The simulator draws everything from one of these, so a seed fixes the whole plan; the
/// distributions below are written out rather than taken from the standard library, whose
/// algorithms for `random(in:using:)` are not promised to stay the same across releases.
struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    /// A generator whose whole sequence is fixed by `seed`.
    init(seed: UInt64) {
        state = seed
    }

    /// The next 64 random bits.
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }

    /// A uniform number in `[0, 1)`, from the top 53 bits.
    mutating func unit() -> Double {
        Double(next() >> 11) / Double(UInt64(1) << 53)
    }

    /// A uniform number in `[low, high)`.
    mutating func uniform(_ low: Double, _ high: Double) -> Double {
        low + (high - low) * unit()
    }

    /// A uniform whole number in `0..<bound`; `bound` must be above zero.
    mutating func index(below bound: Int) -> Int {
        precondition(bound > 0, "index(below:) needs a positive bound")
        // Lemire's multiply-shift: the high word of a 64×64-bit product, no modulo bias worth the name here.
        return Int(next().multipliedFullWidth(by: UInt64(bound)).high)
    }

    /// True with probability `probability`.
    mutating func chance(_ probability: Double) -> Bool {
        unit() < probability
    }

    /// An exponentially distributed number with mean `mean`: the gap between Poisson arrivals.
    mutating func exponential(mean: Double) -> Double {
        // 1 - unit() is in (0, 1], so the logarithm is finite.
        -mean * log(1 - unit())
    }

    /// One element of `elements`, which must not be empty.
    mutating func pick<Element>(_ elements: [Element]) -> Element {
        elements[index(below: elements.count)]
    }

    /// An index into `weights` drawn in proportion to them.
    mutating func weightedIndex(_ weights: [Double]) -> Int {
        var remaining = unit() * weights.reduce(0, +)
        for (index, weight) in weights.enumerated() {
            remaining -= weight
            if remaining < 0 { return index }
        }
        return weights.count - 1
    }
}
