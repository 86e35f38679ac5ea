import DiD
import Foundation
import Inference
import LinearAlgebra
import PanelData
import Primitives
import QuipuTestSupport
import Testing

/// The variance of Callaway–Sant'Anna (pairwise and R did's repeated cross-section routes) and of
/// the imputation estimator on panels with gaps, entries, exits and outcome zeros (issue 21):
/// (i) against the formula written out plainly here (Sun–Abraham: explicit dummies and least
/// squares, the cell rows' residuals × m/(m − 1); CS: each cell's influence function from its own
/// units with the leave-one-out factor m/(m − 1), the aggregate's influence function on the common
/// unit index with the weights' influence; the imputation estimator's is ImputationDiDTests' dense
/// reference, on gappy panels). The bootstrap and the Monte Carlo, which take longer,
/// are UnbalancedVarianceMonteCarloTests.
@Suite struct UnbalancedVarianceTests {
    /// A panel of `units` units over periods 1…`periods`: `cohortSize` units in each cohort 3…6,
    /// the rest never treated. Each unit enters at a random period (a fifth after period 1), may
    /// exit early (a fifth), misses each period in between with probability `gap`, and has y = 0
    /// (so no log(y)) with probability 0.1. log y = unit level + period effect + noise, plus for the
    /// treated a unit-specific effect 0.2 + 0.05·(t − g) ± 0.3.
    struct Panel {
        var unit: [Double] = [], time: [Double] = [], cohort: [Double] = [], y: [Double] = []
        var units = 0

        init(seed: UInt64, units: Int, cohortSize: Int, gap: Double, periods: Int = 8) {
            var random = RandomStream(seed: seed)
            func normal() -> Double {
                (-2 * log(random.nextUniformOpen())).squareRoot() * cos(2 * Double.pi * random.nextUniformOpen())
            }
            self.units = units
            for u in 0..<units {
                let g = u < 4 * cohortSize ? 3 + u / cohortSize : 0
                let level = normal(), effect = 0.3 * normal()
                let entry = random.nextUniform() < 0.2 ? 1 + Int(random.nextUniform() * 3) : 1
                let exit = random.nextUniform() < 0.2 ? periods - Int(random.nextUniform() * 3) : periods
                for t in entry...exit where t == entry || random.nextUniform() >= gap {
                    var logY = level + 0.1 * Double(t) + 0.5 * normal()
                    if g > 0 && t >= g { logY += 0.2 + 0.05 * Double(t - g) + effect }
                    unit.append(Double(u + 1)); time.append(Double(t)); cohort.append(Double(g))
                    y.append(random.nextUniform() < 0.1 ? 0 : exp(logY))
                }
            }
        }

        /// The panel with units drawn with replacement (`draw[k]` becomes unit k + 1).
        func resampled(_ draw: [Int]) -> Panel {
            var copy = self
            copy.unit = []; copy.time = []; copy.cohort = []; copy.y = []
            var rowsOf = [Int: [Int]]()
            for row in unit.indices { rowsOf[Int(unit[row]) - 1, default: []].append(row) }
            for (k, original) in draw.enumerated() {
                for row in rowsOf[original] ?? [] {
                    copy.unit.append(Double(k + 1)); copy.time.append(time[row]); copy.cohort.append(cohort[row]); copy.y.append(y[row])
                }
            }
            return copy
        }

        var table: DataTable {
            DataTable(source: "synthetic", names: ["unit", "time", "cohort", "y"],
                      columns: [.numeric(unit), .numeric(time), .numeric(cohort), .numeric(y)], rowCount: unit.count)
        }

        func unitPanel(_ mode: UnitPanel.Mode) throws -> UnitPanel {
            let table = self.table
            let structure = try PanelStructure(table: table, unit: "unit", time: "time", treatment: .cohort("cohort"))
            return try UnitPanel(structure: structure, outcome: try OutcomeColumn(outcome: "log(y)", table: table),
                                 covariates: [], cluster: nil, anticipation: 0, mode: mode)
        }

        func callawaySantAnna(_ mode: UnitPanel.Mode, leaveOut: Bool = true) throws -> StaggeredResult {
            var options = CallawaySantAnnaOptions()
            options.leaveOutOnGaps = leaveOut
            return try CallawaySantAnna.estimate(panel: try unitPanel(mode), options: options, aggregations: [.simple],
                                                 bootstrap: nil, unitName: "unit")
        }

        /// Sun–Abraham through `DiDAnalysis` (clustered by unit), on log(y).
        func sunAbraham(leaveOut: Bool = true) throws -> StaggeredResult {
            var options = DiDOptions(outcome: "log(y)", covariance: .cluster(["unit"]))
            options.estimator = .sunab
            options.threads = 1
            options.leaveOutOnGaps = leaveOut
            let results = try DiDAnalysis.run(table: table, unit: "unit", time: "time", treatment: .cohort("cohort", neverTreated: nil), options: options)
            guard let result = results.staggered.first(where: { $0.estimator == .sunAbraham }) else { throw PanelError("no Sun–Abraham result") }
            return result
        }

        func imputation(leaveOut: Bool = true) throws -> StaggeredResult {
            let rows = y.indices.filter { y[$0] > 0 }
            var code = [Double: Int32](), cohorts = [Int?]()
            for row in rows where code[unit[row]] == nil {
                code[unit[row]] = Int32(cohorts.count)
                cohorts.append(cohort[row] > 0 ? Int(cohort[row]) : nil)
            }
            var input = ImputationInput(unitCodes: rows.map { code[unit[$0]] ?? -1 }, unitCount: cohorts.count,
                                        periods: rows.map { Int(time[$0]) }, cohorts: cohorts, outcome: rows.map { log(y[$0]) },
                                        pretrendLeads: 0, unitName: "unit", timeName: "time")
            input.leaveOutOnGaps = leaveOut
            return try ImputationDiD.estimate(input)
        }
    }

    /// The simple aggregate's estimate and SE, or nil when it is missing.
    static func simple(_ result: StaggeredResult) -> (estimate: Double, se: Double)? {
        guard let index = result.estimates.firstIndex(where: { $0.kind == .simple }) else { return nil }
        return (result.estimates[index].estimate, result.standardErrors[index])
    }

    // MARK: - (i) The formula written out

    /// CS without covariates, never-treated comparisons, varying base: every post-treatment
    /// ATT(g,t), its SE and the simple aggregate's, from each cell's means and the formula of
    /// CallawaySantAnna+LeaveOut.swift (factor 1 for R did's in-sample version).
    static func dense(_ panel: UnitPanel, repeatedCrossSections: Bool, leaveOut: Bool)
        -> (cells: [String: (att: Double, se: Double)], simple: (estimate: Double, se: Double))
    {
        let n = panel.unitCount, periods = panel.periods, width = periods.count
        func y(_ unit: Int, _ column: Int) -> Double { panel.outcome[unit * width + column] }
        let cohorts = Array(Set(panel.cohorts.filter { $0 != UnitPanel.neverTreated })).sorted()
        var cells = [String: (att: Double, se: Double)]()
        var post = [(g: Int, att: Double, psi: [Double])]()
        for g in cohorts {
            guard let base = periods.lastIndex(where: { $0 < g }) else { continue }
            for current in periods.indices where periods[current] >= g {
                // Each group's rows: (unit, value, sign of its mean in the ATT).
                var groups = [[(unit: Int, value: Double)]](repeating: [], count: 4)
                for unit in 0..<n where panel.cohorts[unit] == g || panel.cohorts[unit] == UnitPanel.neverTreated {
                    let treated = panel.cohorts[unit] == g
                    if repeatedCrossSections {
                        if !y(unit, current).isNaN { groups[treated ? 0 : 2].append((unit, y(unit, current))) }
                        if !y(unit, base).isNaN { groups[treated ? 1 : 3].append((unit, y(unit, base))) }
                    } else if !y(unit, current).isNaN && !y(unit, base).isNaN {
                        groups[treated ? 0 : 2].append((unit, y(unit, current) - y(unit, base)))
                    }
                }
                let signs: [Double] = [1, -1, -1, 1]
                let used = repeatedCrossSections ? [0, 1, 2, 3] : [0, 2]
                guard used.allSatisfy({ !groups[$0].isEmpty }) else { continue }
                var att = 0.0
                var psi = [Double](repeating: 0, count: n)
                for k in used {
                    let m = Double(groups[k].count)
                    let mean = groups[k].reduce(0) { $0 + $1.value } / m
                    att += signs[k] * mean
                    let factor = leaveOut && m > 1 ? (repeatedCrossSections ? (m / (m - 1)).squareRoot() : m / (m - 1)) : 1
                    for row in groups[k] { psi[row.unit] += signs[k] * Double(n) / m * factor * (row.value - mean) }
                }
                cells["\(g),\(periods[current])"] = (att, psi.reduce(0) { $0 + $1 * $1 }.squareRoot() / Double(n))
                post.append((g, att, psi))
            }
        }
        // Simple: cells weighted by P(G = g) over all n units, plus the weights' influence.
        let share = { (g: Int) in Double(panel.cohorts.filter { $0 == g }.count) / Double(n) }
        let total = post.reduce(0) { $0 + share($1.g) }
        let theta = post.reduce(0) { $0 + share($1.g) * $1.att } / total
        var psi = [Double](repeating: 0, count: n)
        for cell in post { for i in 0..<n { psi[i] += share(cell.g) / total * cell.psi[i] } }
        for i in 0..<n where panel.cohorts[i] != UnitPanel.neverTreated {
            let own = post.filter { $0.g == panel.cohorts[i] }
            psi[i] += own.reduce(0) { $0 + $1.att - theta } / total
        }
        return (cells, (theta, psi.reduce(0) { $0 + $1 * $1 }.squareRoot() / Double(n)))
    }

    @Test("CS on a panel with gaps, entries, exits and zeros: every post cell and the simple aggregate equal the formula written out",
          arguments: [(UnitPanel.Mode.auto, true), (.auto, false), (.unbalanced, true), (.unbalanced, false)])
    func denseFormula(mode: UnitPanel.Mode, leaveOut: Bool) throws {
        let data = Panel(seed: 7, units: 90, cohortSize: 5, gap: 0.35)
        let panel = try data.unitPanel(mode)
        #expect(!panel.isBalanced)
        let result = try data.callawaySantAnna(mode, leaveOut: leaveOut)
        let reference = Self.dense(panel, repeatedCrossSections: mode == .unbalanced, leaveOut: leaveOut)
        var compared = 0
        for (index, estimate) in result.estimates.enumerated() where estimate.kind == .attGT {
            guard let g = estimate.group, let t = estimate.time, t >= g, estimate.estimate.isFinite else { continue }
            let cell = try #require(reference.cells["\(g),\(t)"], "cell (\(g), \(t))")
            expectClose(estimate.estimate, cell.att, relative: 1e-9, absolute: 1e-12, "ATT(\(g),\(t))")
            expectClose(result.standardErrors[index], cell.se, relative: 1e-9, "SE of ATT(\(g),\(t))")
            compared += 1
        }
        #expect(compared == reference.cells.count && compared >= 15)
        let simple = try #require(Self.simple(result))
        expectClose(simple.estimate, reference.simple.estimate, relative: 1e-9)
        expectClose(simple.se, reference.simple.se, relative: 1e-9)
    }

    @Test func balancedPanelsKeepRDidsInfluenceFunctions() throws {
        var complete = Panel(seed: 3, units: 0, cohortSize: 5, gap: 0)
        complete.units = 60
        for u in 1...60 { for t in 1...8 {
            complete.unit.append(Double(u)); complete.time.append(Double(t)); complete.cohort.append(u <= 20 ? Double(3 + (u - 1) / 5) : 0)
            complete.y.append(exp(Double(u % 7) * 0.1 + Double(t * t % 5) * 0.05 + Double((u * t) % 11) * 0.03))
        } }
        let on = try #require(Self.simple(try complete.callawaySantAnna(.auto, leaveOut: true)))
        let off = try #require(Self.simple(try complete.callawaySantAnna(.auto, leaveOut: false)))
        #expect(on.se == off.se && on.estimate == off.estimate)
    }

    /// Sun–Abraham by explicit dummies (cells, units, periods) and least squares: the simple
    /// aggregate (cells weighted by their rows) and the ratio of its clustered SE with the cell
    /// rows' residuals × m/(m − 1) to the plain one (the small-sample factor cancels in the ratio).
    static func denseSunAbraham(_ data: Panel) throws -> (estimate: Double, ratio: Double) {
        var rowsOfUnit = [Double: Int]()
        for row in data.y.indices where data.y[row] > 0 { rowsOfUnit[data.unit[row], default: 0] += 1 }
        let rows = data.y.indices.filter { data.y[$0] > 0 && (rowsOfUnit[data.unit[$0]] ?? 0) > 1 }
        let units = Array(Set(rows.map { data.unit[$0] })).sorted(), periods = Array(Set(rows.map { data.time[$0] })).sorted()
        var cellOfRow = [Int](repeating: -1, count: rows.count), cells = [String]()
        for (position, row) in rows.enumerated() where data.cohort[row] > 0 {
            let e = Int(data.time[row] - data.cohort[row])
            guard e != -1 else { continue }
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
        // Post-treatment cells, weighted by their rows; every cell column must have been kept.
        let post = cells.indices.filter { (Int(cells[$0].split(separator: ",")[1]) ?? -1) >= 0 }
        let total = Double(post.reduce(0) { $0 + sizes[$1] })
        var weights = [Double](repeating: 0, count: fit.keptColumns.count), estimate = 0.0
        for j in post {
            guard let column = fit.keptColumns.firstIndex(of: j) else { throw PanelError("cell \(cells[j]) dropped") }
            weights[column] = Double(sizes[j]) / total
            estimate += weights[column] * fit.coefficients[column]
        }
        // a = (XᵀX)⁻¹ w; the variance is Σ_units (Σ_rows aᵀxᵣ ûᵣ)².
        let a = try fit.inverseCrossProduct.times(weights)
        let leverage = try kept.times(a)
        func variance(scaled: Bool) -> Double {
            var sums = [Double: Double]()
            for (position, row) in rows.enumerated() {
                var u = residuals[position]
                if scaled && cellOfRow[position] >= 0 { let m = Double(sizes[cellOfRow[position]]); if m > 1 { u *= m / (m - 1) } }
                sums[data.unit[row], default: 0] += leverage[position] * u
            }
            return sums.values.reduce(0) { $0 + $1 * $1 }
        }
        return (estimate, (variance(scaled: true) / variance(scaled: false)).squareRoot())
    }

    @Test func sunAbrahamLeaveOutEqualsTheFormulaWrittenOut() throws {
        let data = Panel(seed: 21, units: 70, cohortSize: 6, gap: 0.3)
        let on = try #require(Self.simple(try data.sunAbraham(leaveOut: true)))
        let off = try #require(Self.simple(try data.sunAbraham(leaveOut: false)))
        let reference = try Self.denseSunAbraham(data)
        expectClose(on.estimate, reference.estimate, relative: 1e-8)
        expectClose(off.estimate, on.estimate, relative: 1e-12)
        expectClose(on.se / off.se, reference.ratio, relative: 1e-8)
        #expect(reference.ratio > 1.01)
    }
}
