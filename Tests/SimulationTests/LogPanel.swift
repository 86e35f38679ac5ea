@testable import Simulation

/// Firm-years with a positive outcome, in logs, with the firm and year indices a fixed-effects
/// fit needs: a deliberately small stand-in for Quipu's estimators.
struct LogPanel {
    var firm: [Int] = []
    var year: [Int] = []
    var y: [Double] = []
    var pum: [Double] = []
    var cbi: [Double] = []
    var firmCount = 0
    var yearCount = 0

    init(_ records: [FirmYearRecord], outcome: Outcome) {
        var firmIndex: [Int: Int] = [:]
        var yearIndex: [Int: Int] = [:]
        for record in records {
            guard let value = record.values?[outcome], value > 0 else { continue }
            firm.append(firmIndex[record.firmID, default: firmIndex.count])
            if firmIndex[record.firmID] == nil { firmIndex[record.firmID] = firmIndex.count }
            year.append(yearIndex[record.year, default: yearIndex.count])
            if yearIndex[record.year] == nil { yearIndex[record.year] = yearIndex.count }
            y.append(DeterministicMath.log(Double(value)))
            pum.append(record.pumTreated ? 1 : 0)
            cbi.append(record.cbiTreated ? 1 : 0)
        }
        firmCount = firmIndex.count
        yearCount = yearIndex.count
    }

    /// `values` with firm and year means swept out (alternating projections).
    func demeaned(_ values: [Double], rows: [Int]? = nil) -> [Double] {
        var v = values
        for _ in 0..<1000 {
            var largest = 0.0
            for (index, groupCount) in [(firm, firmCount), (year, yearCount)] {
                var sums = Array(repeating: 0.0, count: groupCount)
                var counts = Array(repeating: 0.0, count: groupCount)
                for row in v.indices {
                    sums[index[row]] += v[row]
                    counts[index[row]] += 1
                }
                for row in v.indices {
                    let mean = sums[index[row]] / counts[index[row]]
                    v[row] -= mean
                    largest = max(largest, abs(mean))
                }
            }
            if largest < 1e-11 { break }
        }
        return v
    }

    /// The static TWFE coefficient on the PUM indicator, controlling for the CBI indicator.
    func twoWayFixedEffects() -> Double {
        let yy = demeaned(y), d = demeaned(pum), c = demeaned(cbi)
        func dot(_ a: [Double], _ b: [Double]) -> Double { zip(a, b).reduce(0) { $0 + $1.0 * $1.1 } }
        // Frisch–Waugh with two regressors: solve the 2×2 normal equations.
        let (dd, dc, cc, dy, cy) = (dot(d, d), dot(d, c), dot(c, c), dot(d, yy), dot(c, yy))
        return (cc * dy - dc * cy) / (dd * cc - dc * dc)
    }

    /// The imputation estimator: firm and year effects fitted on untreated firm-years only,
    /// averaged gaps y − α̂ − λ̂ over firm-years treated by `programme` alone.
    func imputation(_ programme: Programme) -> Double {
        let effects = UntreatedTwoWayEffects(y: y, firmOf: firm, periodOf: year, untreated: y.indices.filter { pum[$0] == 0 && cbi[$0] == 0 },
                                             firmCount: firmCount, periodCount: yearCount, iterations: 1000)
        let treated = y.indices.filter { row in
            let (own, other) = programme == .pum ? (pum[row], cbi[row]) : (cbi[row], pum[row])
            return own == 1 && other == 0 && effects.firmSeen[firm[row]]
        }
        return effects.meanGap(y, rows: treated, firmOf: firm, periodOf: year)
    }
}
