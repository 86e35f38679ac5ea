import Primitives

/// The simulation's use of the shared `RandomStream`: streams keyed by purpose and indices, and
/// draws built from the uniforms.
///
/// Nothing here touches the platform's random sources or libm: integer arithmetic, IEEE
/// multiplication, division and square root, and `DeterministicMath.log` give the same bits on
/// every machine, which is what makes the simulated CSV byte-identical across runs and systems.
extension RandomStream {
    /// A stream keyed by the run seed, a purpose and up to a few indices (firm, year, …).
    ///
    /// Keyed streams let a firm's draws stay the same when other firms or years are added,
    /// so a shorter `--years` window is an exact sub-panel of a longer one.
    init(seed: UInt64, _ domain: StreamDomain, _ keys: Int...) {
        self.init(seed: SplitMix64.combine(seed, [domain.rawValue] + keys.map { UInt64(bitPattern: Int64($0)) }))
    }

    /// A standard normal draw by Marsaglia's polar method.
    ///
    /// The polar method needs only a logarithm and a square root (no sine or cosine), and both
    /// are computed deterministically here.
    mutating func normal() -> Double {
        while true {
            let u = 2 * nextUniform() - 1
            let v = 2 * nextUniform() - 1
            let s = u * u + v * v
            if s > 0, s < 1 {
                return u * (-2 * DeterministicMath.log(s) / s).squareRoot()
            }
        }
    }

    /// A normal draw with the given mean and standard deviation.
    mutating func normal(mean: Double, sd: Double) -> Double { mean + sd * normal() }

    /// True with probability `p`.
    mutating func bernoulli(_ p: Double) -> Bool { nextUniform() < p }

    /// A uniform integer in `range` (the tiny modulo bias of 53-bit scaling is irrelevant here).
    mutating func integer(in range: ClosedRange<Int>) -> Int {
        let width = Double(range.count)
        return min(range.upperBound, range.lowerBound + Int(nextUniform() * width))
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
