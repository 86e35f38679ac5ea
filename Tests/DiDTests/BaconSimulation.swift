import DiD
import Foundation

/// Deterministic simulated staggered panels for the identity tests.
struct BaconSimulation {
    /// A small, seedable generator (SplitMix64), so that every run tests the same panels.
    struct Generator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }

        /// A standard normal draw (Box–Muller).
        mutating func normal() -> Double {
            let u = Double.random(in: Double.ulpOfOne..<1, using: &self)
            let v = Double.random(in: 0..<1, using: &self)
            return (-2 * log(u)).squareRoot() * cos(2 * Double.pi * v)
        }
    }

    /// Periods of the panel (need not be consecutive).
    var periods: [Int]
    /// Cohort of each unit (`nil` = never treated); units are numbered from 1 in this order,
    /// times `unitStride`, then the rows are shuffled.
    var cohorts: [Int?]
    var seed: UInt64
    var noise = 1.0
    var unitStride = 7

    /// Outcome = unit effect + period effect + a cohort-specific effect that grows with time
    /// since adoption (heterogeneous and dynamic) + noise.
    func input() -> BaconInput {
        var rng = Generator(state: seed)
        let periodEffect = periods.map { _ in rng.normal() }
        var rows: [(Int, Int, Double, Int?)] = []
        for (u, cohort) in cohorts.enumerated() {
            let unitEffect = 3 * rng.normal()
            let level = cohort.map { Double($0 % 5) * 0.4 - 0.5 } ?? 0
            let growth = cohort.map { Double($0 % 3) * 0.3 - 0.2 } ?? 0
            for (t, period) in periods.enumerated() {
                var y = unitEffect + periodEffect[t] + noise * rng.normal()
                if let cohort, period >= cohort {
                    let elapsed = periods.filter { $0 >= cohort && $0 <= period }.count
                    y += level + growth * Double(elapsed)
                }
                rows.append(((u + 1) * unitStride, period, y, cohort))
            }
        }
        rows.shuffle(using: &rng)
        return BaconInput(unit: rows.map(\.0), time: rows.map(\.1), outcome: rows.map(\.2),
                          cohort: rows.map(\.3))
    }

    /// `count` units of each listed cohort, in order.
    static func cohorts(_ plan: [(Int?, Int)]) -> [Int?] {
        plan.flatMap { cohort, count in [Int?](repeating: cohort, count: count) }
    }
}

/// The TWFE coefficient by least squares on explicit dummies, with Householder QR.
///
/// Independent of the library's demeaning: the design is `[D, unit dummies, period dummies
/// but the first]`, solved as a dense least-squares problem, which is accurate to about
/// cond(X) × 1e-16 (no normal equations, whose squared condition number would cost digits).
enum BaconDummyOLS {
    static func coefficient(_ input: BaconInput) -> Double {
        let units = Array(Set(input.unit)).sorted()
        let periods = Array(Set(input.time)).sorted()
        let unitIndex = Dictionary(uniqueKeysWithValues: units.enumerated().map { ($1, $0) })
        let periodIndex = Dictionary(uniqueKeysWithValues: periods.enumerated().map { ($1, $0) })
        let n = input.unit.count
        let p = 1 + units.count + periods.count - 1
        var a = [[Double]](repeating: [Double](repeating: 0, count: n), count: p)  // columns
        var b = input.outcome
        for r in 0..<n {
            if let cohort = input.cohort[r], input.time[r] >= cohort { a[0][r] = 1 }
            a[1 + (unitIndex[input.unit[r]] ?? 0)][r] = 1
            let t = periodIndex[input.time[r]] ?? 0
            if t > 0 { a[units.count + t][r] = 1 }
        }
        // Householder QR, applied to b as it goes.
        var diagonal = [Double](repeating: 0, count: p)
        for j in 0..<p {
            var norm = 0.0
            for i in j..<n { norm += a[j][i] * a[j][i] }
            norm = norm.squareRoot()
            let alpha = a[j][j] > 0 ? -norm : norm
            var v = [Double](repeating: 0, count: n)
            for i in j..<n { v[i] = a[j][i] }
            v[j] -= alpha
            var vv = 0.0
            for i in j..<n { vv += v[i] * v[i] }
            diagonal[j] = alpha
            guard vv > 0 else { continue }
            for k in j..<p {
                var s = 0.0
                for i in j..<n { s += v[i] * a[k][i] }
                let f = 2 * s / vv
                for i in j..<n { a[k][i] -= f * v[i] }
            }
            var s = 0.0
            for i in j..<n { s += v[i] * b[i] }
            let f = 2 * s / vv
            for i in j..<n { b[i] -= f * v[i] }
        }
        // Back substitution for R x = Qᵀ b; only x[0] is needed, but it depends on all.
        var x = [Double](repeating: 0, count: p)
        for j in stride(from: p - 1, through: 0, by: -1) {
            var s = b[j]
            for k in (j + 1)..<p { s -= a[k][j] * x[k] }
            x[j] = s / diagonal[j]
        }
        return x[0]
    }
}
