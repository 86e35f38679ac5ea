/// The one pseudo-random stream of Quipu: xoshiro256** (Blackman & Vigna 2021), fast, with 256
/// bits of state, seeded by SplitMix64, with its uniform draws.
///
/// Goals: every stream is a pure function of its seed (and keys), with integer arithmetic and
/// IEEE multiplication only, so draws are the same on every machine and thread. Two seeding
/// schemes exist because two sets of outputs are pinned by tests and published results:
/// `init(seed:)` (the simulated panels, keyed further by `Simulation`) and
/// `init(seed:replicate:)` (the bootstraps' replicate streams). What each module draws from the
/// uniforms differs too, and stays in that module: the simulation's normal draws use the polar
/// method with its deterministic logarithm (byte-identical CSVs across systems), the
/// bootstraps' use Box–Muller with the platform's libm.
public struct RandomStream: Sendable {
    private var s0: UInt64
    private var s1: UInt64
    private var s2: UInt64
    private var s3: UInt64

    /// A stream whose state is the next four outputs of `expander`.
    private init(expanding expander: inout SplitMix64) {
        s0 = expander.next()
        s1 = expander.next()
        s2 = expander.next()
        s3 = expander.next()
        // Xoshiro must not start from the all-zero state; SplitMix64 practically never yields it.
        if s0 | s1 | s2 | s3 == 0 { s0 = 0x9E37_79B9_7F4A_7C15 }
    }

    /// Creates a stream from a 64-bit seed, expanded with SplitMix64.
    public init(seed: UInt64) {
        var expander = SplitMix64(state: seed)
        self.init(expanding: &expander)
    }

    /// The stream of bootstrap replicate `replicate` under `seed`: derived from the pair alone, so
    /// that replicate b draws the same numbers whichever thread runs it and however the
    /// replicates are split into chunks.
    public init(seed: UInt64, replicate: UInt64) {
        var expander = SplitMix64(state: seed ^ (replicate &* 0x9E37_79B9_7F4A_7C15) ^ 0xD1B5_4A32_D192_ED03)
        // Mix the replicate index in twice so neighbouring replicates start far apart.
        _ = expander.next()
        expander.state ^= replicate
        self.init(expanding: &expander)
    }

    /// The next 64 random bits (xoshiro256**).
    public mutating func nextBits() -> UInt64 {
        let result = rotate(s1 &* 5, 7) &* 9
        let shifted = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= shifted
        s3 = rotate(s3, 45)
        return result
    }

    private func rotate(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

    /// A uniform draw on [0, 1) with 53 random bits.
    public mutating func nextUniform() -> Double { Double(nextBits() >> 11) * 0x1.0p-53 }

    /// A uniform draw on the open interval (0, 1), safe to take logarithms of.
    public mutating func nextUniformOpen() -> Double { (Double(nextBits() >> 11) + 0.5) * 0x1.0p-53 }
}
