// One triple difference of a cell against one comparison cohort (three 2x2 comparisons of the
// eligible treated units, each with its own nuisance models: Ortiz-Villavicencio & Sant'Anna
// 2025, eq. 3.5), and the GMM combination of several comparison cohorts (their eq. 4.11–4.12).

import PanelData

/// A cell's triple difference against one comparison cohort, or their GMM combination.
struct ComparisonEstimate {
    let att: Double
    /// Units of the estimate: the treated cohort's, then the comparison cohort's (cohorts).
    let units: [Int]
    /// How many of `units` are the treated cohort's.
    let treatedCount: Int
    /// Each unit's influence on the whole panel's scale (n / n_j times its 2x2 influence).
    let influence: [Double]
}

/// Why a comparison has no estimate.
struct ComparisonFailure: Error {
    let message: String
}

/// What every comparison of a panel reads: outcomes, covariates without the partition, the
/// partition and the 2x2 method.
struct CellLayout {
    let panel: UnitPanel
    let eligible: [Bool]
    /// The covariate columns of the 2x2 models (the panel's covariates but the partition, last).
    let covariateColumns: Int
    let method: TwoByTwoMethod

    /// The three 2x2 comparisons of the subgroups: ineligible treated (3), eligible comparison
    /// units (2), ineligible comparison units (1), with their sign in the triple difference.
    private static let subgroups: [(name: String, treatedCohort: Bool, eligible: Bool, sign: Double)] = [
        ("the ineligible units of the treated cohort", true, false, 1),
        ("the eligible comparison units", false, true, 1),
        ("the ineligible comparison units", false, false, -1),
    ]

    /// DDD = DiD(4 vs 3) + DiD(4 vs 2) − DiD(4 vs 1) of `treated` against `comparison` between
    /// the period indices `base` and `current`, with its influence function on the panel's scale.
    func comparison(treated: [Int], comparison: [Int], current: Int, base: Int, totalUnits n: Int) -> Result<ComparisonEstimate, ComparisonFailure> {
        let units = treated + comparison
        let target = treated.indices.filter { eligible[treated[$0]] }
        var influence = [Double](repeating: 0, count: units.count)
        var att = 0.0
        let stride = panel.covariateNames.count, periodCount = panel.periods.count
        for subgroup in Self.subgroups {
            let others = units.indices.filter { ($0 < treated.count) == subgroup.treatedCohort && eligible[units[$0]] == subgroup.eligible }
            let positions = target + others
            var data = TwoByTwoData(change: [], treated: [], design: [], columns: covariateColumns + 1)
            for (row, position) in positions.enumerated() {
                let unit = units[position]
                data.change.append(panel.outcome[unit * periodCount + current] - panel.outcome[unit * periodCount + base])
                data.treated.append(row < target.count)
                data.design.append(1)
                for j in 0..<covariateColumns { data.design.append(panel.covariates[unit * stride + j]) }
            }
            var noCache: PropensityCache? = nil
            switch data.estimate(method, propensityCache: &noCache, members: positions.map { units[$0] }) {
            case let .estimate(subgroupATT, subgroupInfluence):
                att += subgroup.sign * subgroupATT
                // R triplediff / moderndid: each 2x2's influence times n / n_j, n_j its units.
                let scale = subgroup.sign * Double(n) / Double(positions.count)
                for (row, position) in positions.enumerated() { influence[position] += scale * subgroupInfluence[row] }
            case let .notIdentified(reason):
                return .failure(ComparisonFailure(message: "eligible treated units against \(subgroup.name): \(reason)"))
            }
        }
        return .success(ComparisonEstimate(att: att, units: units, treatedCount: treated.count, influence: influence))
    }
}

extension TripleDifferences {
    /// The GMM combination of one cell's comparisons with weights Ω⁻¹1 / (1′Ω⁻¹1), Ω the
    /// covariance of their influence functions over the cell's units (centred, as moderndid's
    /// `np.cov`; its scale does not matter for the weights); nil when Ω is singular. Every estimate
    /// shares the treated cohort's units first, then its own comparison cohort's.
    static func optimallyWeighted(_ estimates: [ComparisonEstimate]) -> ComparisonEstimate? {
        guard let firstEstimate = estimates.first else { return nil }
        let treatedCount = firstEstimate.treatedCount
        var cellUnits = Array(firstEstimate.units[..<treatedCount])
        var offsets = [Int]()
        for estimate in estimates {
            offsets.append(cellUnits.count)
            cellUnits += estimate.units[treatedCount...]
        }
        let size = cellUnits.count, k = estimates.count
        var columns = [[Double]](repeating: [Double](repeating: 0, count: size), count: k)
        for (c, estimate) in estimates.enumerated() {
            for i in 0..<treatedCount { columns[c][i] = estimate.influence[i] }
            for i in treatedCount..<estimate.units.count { columns[c][offsets[c] + i - treatedCount] = estimate.influence[i] }
        }
        let means = columns.map { $0.reduce(0, +) / Double(size) }
        var omega = [Double](repeating: 0, count: k * k)
        for a in 0..<k {
            for b in 0...a {
                var sum = 0.0
                for i in 0..<size { sum += (columns[a][i] - means[a]) * (columns[b][i] - means[b]) }
                omega[a * k + b] = sum / Double(size - 1)
                omega[b * k + a] = omega[a * k + b]
            }
        }
        guard size > 1, let system = SmallSystem(omega, order: k) else { return nil }
        let direction = system.solve([Double](repeating: 1, count: k))
        let total = direction.reduce(0, +)
        guard total != 0, total.isFinite else { return nil }
        let weights = direction.map { $0 / total }
        var att = 0.0
        var influence = [Double](repeating: 0, count: size)
        for c in 0..<k {
            att += weights[c] * estimates[c].att
            for i in 0..<size { influence[i] += weights[c] * columns[c][i] }
        }
        return ComparisonEstimate(att: att, units: cellUnits, treatedCount: treatedCount, influence: influence)
    }
}
