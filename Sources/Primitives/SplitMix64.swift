/// The SplitMix64 generator (Steele, Lea & Flood 2014): what expands seeds and keys into the
/// states of `RandomStream`, and the fuzz mutator's own small generator.
///
/// SplitMix64 is what the Xoshiro authors recommend for seeding: consecutive outputs of even a
/// poor seed (0, 1, 2, …) are well mixed, so streams keyed by small integers are independent
/// for all practical purposes.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    /// The counter; each output mixes it after adding the golden-ratio increment. Settable, so
    /// that a seeding scheme can fold a further key in between outputs (`RandomStream`'s
    /// replicate streams do).
    public var state: UInt64

    /// Creates a generator whose first output mixes `state` + γ.
    public init(state: UInt64) { self.state = state }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return SplitMix64.mix(state)
    }

    /// The SplitMix64 output function: a bijective scramble of 64 bits.
    public static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Folds a seed and a list of keys into one 64-bit stream seed.
    ///
    /// Mixing after every key (rather than XOR-ing all keys first) keeps (a, b) and (b, a) apart.
    public static func combine(_ seed: UInt64, _ keys: [UInt64]) -> UInt64 {
        var hash = mix(seed &+ 0x9E37_79B9_7F4A_7C15)
        for key in keys {
            hash = mix(hash ^ (key &+ 0x632B_E59B_D9B4_E019))
        }
        return hash
    }
}
