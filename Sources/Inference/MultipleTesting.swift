// Adjusted p-values for a family of hypotheses tested together (many outcomes, programmes or
// subgroups), from the raw p-values alone.
//
// Goals, in order:
// 1. The peers' numbers: Holm (1979) and Benjamini & Hochberg (1995) as statsmodels'
//    `multipletests` computes them (`holm`, `fdr_bh`); Anderson's (2008, JASA 103(484), §3.2 and
//    his `fdr_sharpened_qvalues.do`) sharpened q-values, i.e. the two-stage procedure of
//    Benjamini, Krieger & Yekutieli (2006, Definition 6) run at every level q = 0.001, 0.002, …, 1
//    and each hypothesis given the smallest q at which it is rejected.
// 2. A family is what the caller passes: undefined p-values (NaN) are not hypotheses and stay NaN,
//    and the family's size is the number of defined ones (statsmodels refuses NaN; Anderson's code
//    drops missing p-values from the count).
// 3. Ties, zeros and ones need no special case: every procedure works on the sorted p-values with
//    unique ranks, as both peers do.
// The bootstrap adjustments that use the joint distribution of the statistics (Romano–Wolf,
// Westfall–Young) are in MultipleTesting+Resampling.swift.

/// A way of adjusting a family's p-values for multiplicity.
public enum PValueAdjustment: String, Sendable, CaseIterable {
    /// Holm's step-down Bonferroni: controls the family-wise error rate.
    case holm
    /// Benjamini–Hochberg: controls the false discovery rate (independent or positively dependent tests).
    case bh
    /// Anderson's (2008) sharpened q-values (Benjamini–Krieger–Yekutieli two-stage): the false
    /// discovery rate, with a first stage that estimates how many nulls are true.
    case sharpened
    /// Romano & Wolf (2005) step-down max-|t| from bootstrap draws shared by the family: the
    /// family-wise error rate, using the statistics' dependence.
    case romanoWolf = "romano-wolf"
    /// Westfall & Young (1993) step-down min-p from bootstrap draws shared by the family.
    case westfallYoung = "westfall-young"

    /// Whether the adjustment needs the family's joint bootstrap draws, not only raw p-values.
    public var needsBootstrap: Bool { self == .romanoWolf || self == .westfallYoung }

    /// The name shown beside the adjusted p-values.
    public var title: String {
        switch self {
        case .holm: return "Holm"
        case .bh: return "Benjamini–Hochberg"
        case .sharpened: return "sharpened q (Anderson 2008)"
        case .romanoWolf: return "Romano–Wolf"
        case .westfallYoung: return "Westfall–Young"
        }
    }

    /// A short column heading.
    public var columnHeading: String {
        switch self {
        case .holm: return "p Holm"
        case .bh: return "p BH"
        case .sharpened: return "q sharp"
        case .romanoWolf: return "p RW"
        case .westfallYoung: return "p WY"
        }
    }
}

/// Multiplicity adjustments of raw p-values. See the file's opening comment.
public enum MultipleTesting {
    /// The adjusted p-values of `method`, which must not need the bootstrap (those are
    /// `romanoWolf` and `westfallYoung`); nil for such a method.
    public static func adjust(_ pValues: [Double], method: PValueAdjustment) -> [Double]? {
        switch method {
        case .holm: return holm(pValues)
        case .bh: return benjaminiHochberg(pValues)
        case .sharpened: return sharpenedQValues(pValues)
        case .romanoWolf, .westfallYoung: return nil
        }
    }

    /// Holm's adjusted p-values: with p₍₁₎ ≤ … ≤ p₍ₘ₎, p̃₍ᵢ₎ = max_{j ≤ i} min(1, (m − j + 1) p₍ⱼ₎).
    public static func holm(_ pValues: [Double]) -> [Double] {
        family(pValues) { sorted in
            let m = sorted.count
            var running = 0.0
            return sorted.enumerated().map { index, p in
                running = max(running, min(1, Double(m - index) * p))
                return running
            }
        }
    }

    /// Benjamini–Hochberg adjusted p-values: p̃₍ᵢ₎ = min_{j ≥ i} min(1, m p₍ⱼ₎ / j).
    public static func benjaminiHochberg(_ pValues: [Double]) -> [Double] {
        family(pValues) { sorted in
            let m = sorted.count
            var adjusted = [Double](repeating: 1, count: m)
            var running = 1.0
            for index in stride(from: m - 1, through: 0, by: -1) {
                running = min(running, min(1, Double(m) * sorted[index] / Double(index + 1)))
                adjusted[index] = running
            }
            return adjusted
        }
    }

    /// The grid of levels Anderson's code tries, from 1 down in steps of 0.001.
    public static let sharpenedGridSteps = 1_000

    /// Anderson's sharpened q-values: the smallest level q on the grid 0.001, …, 1 at which the
    /// two-stage procedure (`twoStageRejections`) rejects the hypothesis; 1 when it never does.
    public static func sharpenedQValues(_ pValues: [Double]) -> [Double] {
        family(pValues) { sorted in
            var qValues = [Double](repeating: 1, count: sorted.count)
            // Anderson's loop runs q downwards and overwrites, so a hypothesis keeps the smallest
            // q that rejects it, even if some larger q did not (the procedure need not be monotone).
            // The level tested is Anderson's running `qval - .001` (its rounding decides p-values
            // that sit on a boundary, as ties of round numbers do); the q stated is the grid point.
            var level = 1.0
            for step in stride(from: sharpenedGridSteps, through: 1, by: -1) {
                let rejected = twoStageRejectionCount(sorted: sorted, level: level)
                for rank in 0..<rejected { qValues[rank] = Double(step) / Double(sharpenedGridSteps) }
                level -= 1 / Double(sharpenedGridSteps)
            }
            return qValues
        }
    }

    /// Which hypotheses the Benjamini–Krieger–Yekutieli two-stage procedure rejects at false
    /// discovery rate `level` (statsmodels' `fdr_tsbky`, Anderson's one pass of his loop).
    public static func twoStageRejections(_ pValues: [Double], level: Double) -> [Bool] {
        let defined = pValues.indices.filter { !pValues[$0].isNaN }
        let order = defined.sorted { (pValues[$0], $0) < (pValues[$1], $1) }
        let rejected = twoStageRejectionCount(sorted: order.map { pValues[$0] }, level: level)
        var result = [Bool](repeating: false, count: pValues.count)
        for index in order.prefix(rejected) { result[index] = true }
        return result
    }

    /// How many of the smallest sorted p-values the two-stage procedure rejects at `level`:
    /// Benjamini–Hochberg at q′ = q/(1 + q) rejects r₁; if 0 < r₁ < m, Benjamini–Hochberg again at
    /// q′ m/(m − r₁); if r₁ = m, all.
    static func twoStageRejectionCount(sorted: [Double], level: Double) -> Int {
        let m = sorted.count
        let first = level / (1 + level)
        let firstRejections = stepUpCount(sorted: sorted, level: first)
        if firstRejections == 0 || firstRejections == m { return firstRejections }
        return stepUpCount(sorted: sorted, level: first * Double(m) / Double(m - firstRejections))
    }

    /// The Benjamini–Hochberg step-up count: the largest rank i with p₍ᵢ₎ ≤ level · i / m.
    static func stepUpCount(sorted: [Double], level: Double) -> Int {
        let m = sorted.count
        for rank in stride(from: m, through: 1, by: -1) where sorted[rank - 1] <= level * Double(rank) / Double(m) {
            return rank
        }
        return 0
    }

    /// Applies `adjustSorted` to the defined p-values in ascending order (ties in their given
    /// order) and puts the results back in place; NaN stays NaN.
    static func family(_ pValues: [Double], adjustSorted: ([Double]) -> [Double]) -> [Double] {
        let defined = pValues.indices.filter { !pValues[$0].isNaN }
        let order = defined.sorted { (pValues[$0], $0) < (pValues[$1], $1) }
        let adjusted = adjustSorted(order.map { pValues[$0] })
        var result = [Double](repeating: .nan, count: pValues.count)
        for (rank, index) in order.enumerated() { result[index] = adjusted[rank] }
        return result
    }
}
