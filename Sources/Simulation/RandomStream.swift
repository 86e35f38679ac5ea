/// A deterministic Xoshiro256** random stream with its own uniform and normal draws.
///
/// Nothing here touches the platform's random sources or libm: integer arithmetic, IEEE
/// multiplication, division and square root, and `DeterministicMath.log` give the same bits on
/// every machine, which is what makes the simulated CSV byte-identical across runs and systems.
struct RandomStream {
    private var s0: UInt64
    private var s1: UInt64
    private var s2: UInt64
    private var s3: UInt64

    /// Creates a stream from a 64-bit seed, expanded with SplitMix64.
    init(seed: UInt64) {
        var expander = SplitMix64(state: seed)
        s0 = expander.next()
        s1 = expander.next()
        s2 = expander.next()
        s3 = expander.next()
        // Xoshiro must not start from the all-zero state; SplitMix64 practically never yields it.
        if s0 | s1 | s2 | s3 == 0 { s0 = 0x9E37_79B9_7F4A_7C15 }
    }

    /// A stream keyed by the run seed, a purpose and up to a few indices (firm, year, …).
    ///
    /// Keyed streams let a firm's draws stay the same when other firms or years are added,
    /// so a shorter `--years` window is an exact sub-panel of a longer one.
    init(seed: UInt64, _ domain: StreamDomain, _ keys: Int...) {
        self.init(seed: SplitMix64.combine(seed, [domain.rawValue] + keys.map { UInt64(bitPattern: Int64($0)) }))
    }

    /// The next 64 random bits (Xoshiro256**).
    mutating func next() -> UInt64 {
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
    mutating func uniform() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    /// A uniform draw on the open interval (0, 1), safe to take logarithms of.
    mutating func uniformOpen() -> Double { (Double(next() >> 11) + 0.5) * 0x1.0p-53 }

    /// A standard normal draw by Marsaglia's polar method.
    ///
    /// The polar method needs only a logarithm and a square root (no sine or cosine), and both
    /// are computed deterministically here.
    mutating func normal() -> Double {
        while true {
            let u = 2 * uniform() - 1
            let v = 2 * uniform() - 1
            let s = u * u + v * v
            if s > 0, s < 1 {
                return u * (-2 * DeterministicMath.log(s) / s).squareRoot()
            }
        }
    }

    /// A normal draw with the given mean and standard deviation.
    mutating func normal(mean: Double, sd: Double) -> Double { mean + sd * normal() }

    /// True with probability `p`.
    mutating func bernoulli(_ p: Double) -> Bool { uniform() < p }

    /// A uniform integer in `range` (the tiny modulo bias of 53-bit scaling is irrelevant here).
    mutating func integer(in range: ClosedRange<Int>) -> Int {
        let width = Double(range.count)
        return min(range.upperBound, range.lowerBound + Int(uniform() * width))
    }
}

/// The purposes random streams are keyed by, so that draws for one purpose never shift another's.
enum StreamDomain: UInt64 {
    case firmTraits = 1
    case firmYear = 2
    case subsectorYear = 3
    case cbiSelection = 4
    case pumSelection = 5
    case survival = 6
}
