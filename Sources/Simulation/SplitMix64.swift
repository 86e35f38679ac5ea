/// The SplitMix64 generator, used only to expand seeds and keys into generator states.
///
/// SplitMix64 is what the Xoshiro authors recommend for seeding: consecutive outputs of even a
/// poor seed (0, 1, 2, …) are well mixed, so streams keyed by small integers are independent
/// for all practical purposes.
struct SplitMix64 {
    private var state: UInt64

    /// Creates a generator whose first output mixes `state`.
    init(state: UInt64) { self.state = state }

    /// The next 64 random bits.
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return SplitMix64.mix(state)
    }

    /// The SplitMix64 output function: a bijective scramble of 64 bits.
    static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Folds a seed and a list of keys into one 64-bit stream seed.
    ///
    /// Mixing after every key (rather than XOR-ing all keys first) keeps (a, b) and (b, a) apart.
    static func combine(_ seed: UInt64, _ keys: [UInt64]) -> UInt64 {
        var hash = mix(seed &+ 0x9E37_79B9_7F4A_7C15)
        for key in keys {
            hash = mix(hash ^ (key &+ 0x632B_E59B_D9B4_E019))
        }
        return hash
    }
}
