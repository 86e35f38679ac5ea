import DiD
import Foundation
import Inference
import LinearAlgebra
import PanelData
import Primitives
import QuipuTestSupport
import Testing

/// `--vcov cr2` (DiD/Design/DiDDesign+CR2.swift): Sun–Abraham's and the linear extended TWFE's
/// covariance clustered by unit with the CR2 adjustment, completed at the residual variance where a
/// row has leverage 1 (issue 21: one-row cohort × period cells on gappy panels).
/// (i) Against the formula written out with explicit unit, period and cell dummies and the whole
/// hat matrix (no fixed effects absorbed, no nesting argument). (ii) The Monte Carlo is
/// CR2CovarianceMonteCarloTests.
@Suite struct CR2CovarianceTests {
    typealias Panel = UnbalancedVarianceTests.Panel

    /// Sun–Abraham's or the extended TWFE's result through DiDAnalysis (clustered by unit) on log(y).
    static func run(_ table: DataTable, estimator: EstimatorChoice, cr2: Bool, control: CallawaySantAnnaOptions.Control = .never) throws -> StaggeredResult {
        var options = DiDOptions(outcome: "log(y)", covariance: .cluster(["unit"]))
        options.estimator = estimator
        options.threads = 1
        options.cr2Covariance = cr2
        options.callawaySantAnna.control = control
        let results = try DiDAnalysis.run(table: table, unit: "unit", time: "time", treatment: .cohort("cohort", neverTreated: nil), options: options)
        let id: StaggeredEstimator = estimator == .sunab ? .sunAbraham : .etwfe
        guard let result = results.staggered.first(where: { $0.estimator == id }) else { throw PanelError("no \(id) result") }
        return result
    }

    /// The simple aggregate of Sun–Abraham with its CR2 SE, written out: explicit dummies for the
    /// cells, units and periods, the hat matrix H of that design, A_g = (I − H_gg)^(+1/2) on each
    /// unit's rows, and σ̂²·|N_g ψ_g|² for the directions where I − H_gg is 0 (header of
    /// DiDDesign+CR2.swift). Also returns how many rows have leverage 1.
    /// `indicated(g, t)` says which treated rows get a cell indicator: Sun–Abraham every relative
    /// period but −1, the extended TWFE (not-yet-treated controls) the post-treatment periods.
    static func denseCR2(_ data: Panel, indicated: (Int, Int) -> Bool) throws -> (estimate: Double, se: Double, leverageOne: Int) {
        var rowsOfUnit = [Double: Int]()
        for row in data.y.indices where data.y[row] > 0 { rowsOfUnit[data.unit[row], default: 0] += 1 }
        let rows = data.y.indices.filter { data.y[$0] > 0 && (rowsOfUnit[data.unit[$0]] ?? 0) > 1 }
        let units = Array(Set(rows.map { data.unit[$0] })).sorted(), periods = Array(Set(rows.map { data.time[$0] })).sorted()
        var cellOfRow = [Int](repeating: -1, count: rows.count), cells = [String]()
        for (position, row) in rows.enumerated() where data.cohort[row] > 0 {
            let e = Int(data.time[row] - data.cohort[row])
            guard indicated(Int(data.cohort[row]), Int(data.time[row])) else { continue }
            let key = "\(Int(data.cohort[row])),\(e)"
            if let index = cells.firstIndex(of: key) { cellOfRow[position] = index } else { cellOfRow[position] = cells.count; cells.append(key) }
        }
        var design = Matrix(rows: rows.count, columns: cells.count + units.count + periods.count)
        for (position, row) in rows.enumerated() {
            if cellOfRow[position] >= 0 { design[position, cellOfRow[position]] = 1 }
            design[position, cells.count + (units.firstIndex(of: data.unit[row]) ?? 0)] = 1
            design[position, cells.count + units.count + (periods.firstIndex(of: data.time[row]) ?? 0)] = 1
        }
        let response = rows.map { log(data.y[$0]) }
        let fit = try LeastSquaresSolver().solve(design: design, response: response)
        let kept = design.selecting(columns: fit.keptColumns)
        let residuals = zip(response, try kept.times(fit.coefficients)).map { $0 - $1 }
        let sizes = (0..<cells.count).map { j in cellOfRow.filter { $0 == j }.count }
        let post = cells.indices.filter { (Int(cells[$0].split(separator: ",")[1]) ?? -1) >= 0 }
        let total = Double(post.reduce(0) { $0 + sizes[$1] })
        var weights = [Double](repeating: 0, count: fit.keptColumns.count), estimate = 0.0
        for j in post {
            guard let column = fit.keptColumns.firstIndex(of: j) else { throw PanelError("cell \(cells[j]) dropped") }
            weights[column] = Double(sizes[j]) / total
            estimate += weights[column] * fit.coefficients[column]
        }
        // ψ = X (XᵀX)⁻¹ w: the aggregate's weight on each row's error; H = X (XᵀX)⁻¹ Xᵀ.
        let psi = try kept.times(try fit.inverseCrossProduct.times(weights))
        let hat = try kept.multiplied(by: fit.inverseCrossProduct).multiplied(by: kept, transposeOther: true)
        let n = rows.count, rank = fit.keptColumns.count
        let sigma2 = residuals.reduce(0) { $0 + $1 * $1 } / Double(n - rank)
        var variance = 0.0, leverageOne = 0
        for unit in units {
            let members = rows.indices.filter { data.unit[rows[$0]] == unit }
            var g = Matrix(rows: members.count, columns: members.count)
            for (a, r) in members.enumerated() { for (b, s) in members.enumerated() { g[a, b] = (r == s ? 1 : 0) - hat[r, s] } }
            leverageOne += members.filter { hat[$0, $0] > 1 - 1e-9 }.count
            let (values, vectors) = try g.symmetricEigen()
            var score = 0.0
            for j in values.indices {
                let v = vectors.column(j)
                let onPsi = zip(v, members).reduce(0) { $0 + $1.0 * psi[$1.1] }
                if values[j] > 1e-9 {
                    score += onPsi * zip(v, members).reduce(0) { $0 + $1.0 * residuals[$1.1] } / values[j].squareRoot()
                } else {
                    variance += sigma2 * onPsi * onPsi
                }
            }
            variance += score * score
        }
        return (estimate, variance.squareRoot(), leverageOne)
    }

    @Test("Sun–Abraham's CR2 on a gappy panel with one-row cells equals the formula written out with every dummy")
    func sunAbrahamCR2EqualsTheDenseFormula() throws {
        // Cohorts of 3 units, 40% of the periods missing, 10% zeros: cells of 1–3 rows.
        let data = Panel(seed: 5, units: 40, cohortSize: 3, gap: 0.4)
        let reference = try Self.denseCR2(data) { g, t in t - g != -1 }
        #expect(reference.leverageOne > 0, "the panel must have rows of leverage 1 (one-row cells)")
        let cr2 = try #require(UnbalancedVarianceTests.simple(try Self.run(data.table, estimator: .sunab, cr2: true)))
        let crv1 = try #require(UnbalancedVarianceTests.simple(try Self.run(data.table, estimator: .sunab, cr2: false)))
        expectClose(cr2.estimate, reference.estimate, relative: 1e-8)
        expectClose(cr2.se, reference.se, relative: 1e-6)
        #expect(cr2.estimate == crv1.estimate)
        #expect(cr2.se > crv1.se)
    }

    @Test("the linear extended TWFE's CR2 (not-yet-treated controls) equals the formula written out with every dummy")
    func extendedTWFECR2EqualsTheDenseFormula() throws {
        let data = Panel(seed: 5, units: 40, cohortSize: 3, gap: 0.4)
        let reference = try Self.denseCR2(data) { g, t in t >= g }
        #expect(reference.leverageOne > 0, "the panel must have rows of leverage 1 (one-row cells)")
        let result = try Self.run(data.table, estimator: .etwfe, cr2: true, control: .notyet)
        let cr2 = try #require(UnbalancedVarianceTests.simple(result))
        let crv1 = try #require(UnbalancedVarianceTests.simple(try Self.run(data.table, estimator: .etwfe, cr2: false, control: .notyet)))
        expectClose(cr2.estimate, reference.estimate, relative: 1e-8)
        expectClose(cr2.se, reference.se, relative: 1e-6)
        #expect(cr2.se > crv1.se)
        #expect(result.inference.method.contains("CR2"))
    }
}
