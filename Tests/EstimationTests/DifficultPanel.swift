import Foundation

/// The 10^5-row "difficult" worker-firm panel of the absorber tests, regenerated from a seed.
///
/// It follows fixest's benchmark design (issue 13): 20 rows per worker on average, 160 per firm,
/// and each worker moves only among 21 neighbouring firms, so the worker-firm graph is a long
/// chain on which alternating projections crawl. The draws follow SplitMix64 (Steele, Lea & Flood
/// 2014) in a fixed order, exactly as `Tests/Fixtures/difficult/make_reference.py` draws them for
/// the reference values, so no data file is stored.
struct DifficultPanel {
    var indiv: [Int], firm: [Int], year: [Int]
    var x1: [Double], x2: [Double], y: [Double]

    /// SplitMix64: output k mixes seed + k·γ.
    struct Stream {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func integers(_ count: Int, below bound: Int) -> [Int] {
            (0..<count).map { _ in Int(next() % UInt64(bound)) }
        }
        /// Box–Muller from two uniforms in (0, 1).
        mutating func normals(_ count: Int) -> [Double] {
            (0..<count).map { _ in
                let u1 = (Double(next() >> 11) + 0.5) * 0x1p-53
                let u2 = (Double(next() >> 11) + 0.5) * 0x1p-53
                return (-2 * Foundation.log(u1)).squareRoot() * Foundation.cos(2 * Double.pi * u2)
            }
        }
    }

    init(rows n: Int, seed: UInt64) {
        var stream = Stream(state: seed)
        let individuals = n / 20, firms = max(1, Int((Double(n) / 160).rounded())), years = max(2, Int((Double(n) / 1e5).rounded()))
        indiv = stream.integers(n, below: individuals).map { $0 + 1 }
        let offsets = stream.integers(n, below: 21)
        firm = zip(offsets, indiv).map { (offset: Int, worker: Int) -> Int in min(offset + max(1, worker / 8 - 10), firms) }
        year = stream.integers(n, below: years).map { $0 + 1 }
        x1 = stream.normals(n)
        x2 = stream.normals(n).map { $0 * $0 }
        let effectIndiv = stream.normals(individuals + 1), effectFirm = stream.normals(firms + 1), effectYear = stream.normals(years + 1)
        let noise = stream.normals(n)
        var outcome = [Double](repeating: 0, count: n)
        for i in 0..<n {
            // Summed in the order numpy's expression sums, so the values match to the last bit.
            var value: Double = x1[i] + 0.5 * x2[i]
            value += effectIndiv[indiv[i]]
            value += effectFirm[firm[i]]
            value += effectYear[year[i]]
            value += noise[i]
            outcome[i] = value
        }
        y = outcome
    }

    /// The panel as CSV text (shortest round-trip doubles, so nothing is lost).
    var csv: String {
        var text = "indiv,firm,year,x1,x2,y\n"
        text.reserveCapacity(y.count * 80)
        for i in 0..<y.count { text += "\(indiv[i]),\(firm[i]),\(year[i]),\(x1[i]),\(x2[i]),\(y[i])\n" }
        return text
    }
}
