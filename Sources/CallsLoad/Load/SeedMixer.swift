/// Random-looking values from a counter, with no generator state to share between threads.
package enum SeedMixer {
    /// A well-mixed 64-bit value of `seed` (SplitMix64's finaliser).
    package static func mix(_ seed: UInt64) -> UInt64 {
        var value = seed &+ 0x9E37_79B9_7F4A_7C15
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }
}
