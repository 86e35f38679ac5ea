/// A pseudo-random stream derived from (seed, replicate index) alone, so that replicate b draws
/// the same numbers whichever thread runs it and however the replicates are split into chunks.
///
/// The state is seeded by SplitMix64 (Steele, Lea & Flood 2014) from the pair, then advanced by
/// xoshiro256** (Blackman & Vigna 2021): fast, with 256 bits of state, well tested.
public struct RandomStream: Sendable {
    private var state: (UInt64, UInt64, UInt64, UInt64)

    /// The stream of replicate `replicate` under `seed`.
    public init(seed: UInt64, replicate: UInt64) {
        var mixer = seed ^ (replicate &* 0x9E37_79B9_7F4A_7C15) ^ 0xD1B5_4A32_D192_ED03
        func next() -> UInt64 {
            mixer = mixer &+ 0x9E37_79B9_7F4A_7C15
            var z = mixer
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        // Mix the replicate index in twice so neighbouring replicates start far apart.
        _ = next()
        mixer ^= replicate
        state = (next(), next(), next(), next())
    }

    /// The next 64 random bits.
    public mutating func nextBits() -> UInt64 {
        let result = rotate(state.1 &* 5, 7) &* 9
        let shifted = state.1 << 17
        state.2 ^= state.0
        state.3 ^= state.1
        state.1 ^= state.2
        state.0 ^= state.3
        state.2 ^= shifted
        state.3 = rotate(state.3, 45)
        return result
    }

    /// A uniform draw in [0, 1) with 53 random bits.
    public mutating func nextUniform() -> Double { Double(nextBits() >> 11) * 0x1.0p-53 }

    /// A standard normal draw (Box–Muller; one of the pair is discarded to keep the stream simple).
    public mutating func nextNormal() -> Double {
        var u = nextUniform()
        while u <= 0 { u = nextUniform() }
        let v = nextUniform()
        return (-2 * Foundation.log(u)).squareRoot() * Foundation.cos(2 * Double.pi * v)
    }

    /// A uniform integer in 0..<bound (Lemire's nearly divisionless method).
    public mutating func nextInt(below bound: Int) -> Int {
        precondition(bound > 0, "bound must be positive")  // invariant: callers pass cluster counts ≥ 1
        let range = UInt64(bound)
        var product = nextBits().multipliedFullWidth(by: range)
        if product.low < range {
            let threshold = (0 &- range) % range
            while product.low < threshold { product = nextBits().multipliedFullWidth(by: range) }
        }
        return Int(product.high)
    }

    private func rotate(_ value: UInt64, _ count: UInt64) -> UInt64 { (value << count) | (value >> (64 - count)) }
}

import Foundation
