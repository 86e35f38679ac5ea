@testable import DiD
import Estimation
import Foundation
import Inference
import LinearAlgebra
import PanelData
import QuipuTestSupport
import Testing

/// The imputation estimator (Borusyak, Jaravel & Spiess 2024) against a dense computation with
/// explicit dummies, a hand-built Gardner two-stage, and Tests/Fixtures/staggered (pyfixest did2s,
/// diff-diff and numpy, see make_staggered_reference.py).
@Suite("Imputation (Borusyak–Jaravel–Spiess)")
struct ImputationDiDTests {
    // MARK: - Simulated panels

    /// A random staggered panel: cohorts 3–8 or never treated, some rows missing (never periods 1
    /// and 2 of a treated unit, so every unit keeps an untreated row), effects that vary by cohort
    /// and horizon, and optionally a size-class × period fixed effect.
    static func simulatedInput(seed: UInt64, units: Int = 36, periods: Int = 8, extraEffect: Bool = false,
                               anticipation: Int = 0, leads: Int = 2) -> ImputationInput {
        var rng = BaconSimulation.Generator(state: seed)
        let cohortChoices: [Int?] = [nil, nil, 3, 4, 5, 6, 8]
        let cohorts = (0..<units).map { _ in cohortChoices[Int.random(in: 0..<cohortChoices.count, using: &rng)] }
        let sizeOfUnit = (0..<units).map { _ in Int.random(in: 0..<3, using: &rng) }
        let unitEffect = (0..<units).map { _ in rng.normal() }
        let sizePeriodEffect = (0..<(3 * periods)).map { _ in 0.5 * rng.normal() }
        var unitCodes: [Int32] = [], times: [Int] = [], outcome: [Double] = [], sizePeriod: [Int64] = []
        for unit in 0..<units {
            for period in 1...periods {
                if period > 2 && Double.random(in: 0..<1, using: &rng) < 0.12 { continue }
                var y = unitEffect[unit] + 0.3 * Double(period) + 0.3 * rng.normal()
                if extraEffect { y += sizePeriodEffect[sizeOfUnit[unit] * periods + period - 1] }
                if let cohort = cohorts[unit], period >= cohort - anticipation {
                    y += 0.2 * Double(cohort - 2) + 0.15 * Double(period - cohort)
                }
                unitCodes.append(Int32(unit))
                times.append(period)
                outcome.append(y)
                sizePeriod.append(Int64(sizeOfUnit[unit] * periods + period))
            }
        }
        let extra = extraEffect ? [Factor(name: "size^period", keys: sizePeriod)] : []
        return ImputationInput(unitCodes: unitCodes, unitCount: units, periods: times, cohorts: cohorts, outcome: outcome,
                               extraFixedEffects: extra, anticipation: anticipation, pretrendLeads: leads)
    }

    // MARK: - Dense reference (explicit dummies, LAPACK least squares, v₀ from its formula)

    struct DenseReference {
        var horizons: [Int]
        /// Horizon averages, then the overall average.
        var estimates: [Double]
        var covariance: Matrix
        /// Σ w y₁ + Σ v₀ y₀ per estimand (BJS Theorem 1: the estimate as a weighted sum of outcomes).
        var weightedOutcomeSums: [Double]
    }

    /// Dummy columns (unit, period, then each extra factor) for the given rows.
    static func dummies(_ input: ImputationInput, rows: [Int], periodValues: [Int]) -> Matrix {
        let widths = [input.unitCount, periodValues.count] + input.extraFixedEffects.map(\.levelCount)
        let offsets = widths.indices.map { widths[..<$0].reduce(0, +) }
        var matrix = Matrix(rows: rows.count, columns: widths.reduce(0, +))
        for (position, row) in rows.enumerated() {
            matrix[position, Int(input.unitCodes[row])] = 1
            matrix[position, offsets[1] + (periodValues.firstIndex(of: input.periods[row]) ?? 0)] = 1
            for (index, factor) in input.extraFixedEffects.enumerated() { matrix[position, offsets[2 + index] + Int(factor.codes[row])] = 1 }
        }
        return matrix
    }

    static func denseReference(_ input: ImputationInput) throws -> DenseReference {
        let periodValues = Array(Set(input.periods)).sorted()
        let isTreated = (0..<input.rowCount).map { row in
            input.cohorts[Int(input.unitCodes[row])].map { input.periods[row] >= $0 - input.anticipation } ?? false
        }
        let untreated = (0..<input.rowCount).filter { !isTreated[$0] }
        let treated = (0..<input.rowCount).filter { isTreated[$0] }
        let z0 = dummies(input, rows: untreated, periodValues: periodValues)
        let z1 = dummies(input, rows: treated, periodValues: periodValues)
        let y0 = untreated.map { input.outcome[$0] }, y1 = treated.map { input.outcome[$0] }
        let fit = try LeastSquaresSolver().solve(design: z0, response: y0)
        let z0k = z0.selecting(columns: fit.keptColumns), z1k = z1.selecting(columns: fit.keptColumns)
        let residuals = zip(y0, try z0k.times(fit.coefficients)).map { $0 - $1 }
        let effects = zip(y1, try z1k.times(fit.coefficients)).map { $0 - $1 }
        let horizonOfRow = treated.map { input.periods[$0] - (input.cohorts[Int(input.unitCodes[$0])] ?? 0) }
        let horizons = Array(Set(horizonOfRow)).sorted()
        var weights = horizons.map { h in horizonOfRow.map { $0 == h ? 1.0 : 0 } }.map { w in w.map { $0 / w.reduce(0, +) } }
        weights.append([Double](repeating: 1 / Double(treated.count), count: treated.count))
        // ε̃ on treated rows: τ minus its cohort × horizon cell mean; on a panel with gaps the mean
        // of the cell's rows of the other units (did_imputation's `leaveout`), when there are any.
        let rowsPerUnit = Dictionary(grouping: input.unitCodes, by: { $0 }).mapValues(\.count)
        let leaveOut = input.leaveOutOnGaps && rowsPerUnit.values.contains { $0 != periodValues.count }
        let cellOfRow = treated.indices.map { "\(input.cohorts[Int(input.unitCodes[treated[$0]])] ?? 0):\(horizonOfRow[$0])" }
        let treatedResiduals = treated.indices.map { i -> Double in
            let others = treated.indices.filter { cellOfRow[$0] == cellOfRow[i] && (!leaveOut || input.unitCodes[treated[$0]] != input.unitCodes[treated[i]]) }
            if others.isEmpty { return 0 }
            return effects[i] - others.map { effects[$0] }.reduce(0, +) / Double(others.count)
        }
        var scores = [[Double]](repeating: [Double](repeating: 0, count: weights.count), count: input.unitCount)
        var estimates = [Double](), sums = [Double]()
        for (j, w) in weights.enumerated() {
            let v0 = try z0k.times(try fit.inverseCrossProduct.times(try z1k.transposeTimes(w))).map { -$0 }
            estimates.append(zip(w, effects).map(*).reduce(0, +))
            sums.append(zip(w, y1).map(*).reduce(0, +) + zip(v0, y0).map(*).reduce(0, +))
            for (position, row) in untreated.enumerated() { scores[Int(input.unitCodes[row])][j] += v0[position] * residuals[position] }
            for (position, row) in treated.enumerated() { scores[Int(input.unitCodes[row])][j] += w[position] * treatedResiduals[position] }
        }
        var covariance = Matrix(rows: weights.count, columns: weights.count)
        for score in scores {
            for a in score.indices { for b in score.indices { covariance[a, b] += score[a] * score[b] } }
        }
        return DenseReference(horizons: horizons, estimates: estimates, covariance: covariance, weightedOutcomeSums: sums)
    }

    /// The positions in `result` of the horizon estimates (in `horizons` order), then the overall one.
    static func positions(_ result: StaggeredResult, horizons: [Int]) throws -> [Int] {
        var indices = try horizons.map { h in try #require(result.estimates.firstIndex { $0.kind == .dynamic && $0.eventTime == h }) }
        indices.append(try #require(result.estimates.firstIndex { $0.kind == .simple }))
        return indices
    }

    static func agrees(_ a: Double, _ b: Double, _ tolerance: Double) -> Bool {
        abs(a - b) <= tolerance * max(abs(a), abs(b)) || abs(a - b) <= 1e-14
    }

    // MARK: - (1) Against the dense computation

    @Test("estimates and the joint conservative covariance equal the dense computation",
          arguments: [(UInt64(1), false, 0), (UInt64(2), true, 0), (UInt64(3), false, 1), (UInt64(4), true, 1)])
    func denseAgreement(seed: UInt64, extraEffect: Bool, anticipation: Int) throws {
        let input = Self.simulatedInput(seed: seed, extraEffect: extraEffect, anticipation: anticipation)
        let reference = try Self.denseReference(input)
        for limit in [ImputationNormalEquations.denseLevelLimit, 0] {  // dense Schur, then conjugate gradients
            let result = try ImputationDiD.estimate(input, denseLevelLimit: limit)
            let indices = try Self.positions(result, horizons: reference.horizons)
            #expect(result.estimates.filter { $0.kind == .dynamic && ($0.eventTime ?? 0) >= -anticipation }.count == reference.horizons.count)
            for (j, index) in indices.enumerated() {
                #expect(Self.agrees(result.estimates[index].estimate, reference.estimates[j], 1e-10), "limit \(limit), estimate \(j)")
                // Theorem 1: the same estimate as Σ w y₁ + Σ v₀ y₀ checks the dense v₀.
                #expect(Self.agrees(reference.weightedOutcomeSums[j], reference.estimates[j], 1e-9))
                for (k, other) in indices.enumerated() {
                    #expect(Self.agrees(result.covariance[index, other], reference.covariance[j, k], 1e-8),
                            "limit \(limit), covariance (\(j), \(k)): \(result.covariance[index, other]) vs \(reference.covariance[j, k])")
                }
            }
            // t with G − 1 df, the few-cluster rule of every clustered estimate (FewClusters).
            #expect(result.degreesOfFreedom == Double(input.unitCount - 1))
            #expect(result.inference.description == "conservative (Borusyak–Jaravel–Spiess), clustered by unit")
            #expect(result.observationCount == input.rowCount)
            #expect(result.clusterCount == input.unitCount)
        }
    }

    // MARK: - (2) Against Gardner's two-stage DiD

    @Test("point estimates equal a hand-built Gardner two-stage regression")
    func gardnerTwoStage() throws {
        let input = Self.simulatedInput(seed: 11)
        let periodValues = Array(Set(input.periods)).sorted()
        let treated = (0..<input.rowCount).map { input.isTreated(row: $0) }
        // Stage 1: intercept, unit dummies but the first, period dummies but the first, on untreated rows.
        func stageOneRow(_ row: Int) -> [Double] {
            var values = [Double](repeating: 0, count: input.unitCount + periodValues.count - 1)
            values[0] = 1
            let unit = Int(input.unitCodes[row]), period = periodValues.firstIndex(of: input.periods[row]) ?? 0
            if unit > 0 { values[unit] = 1 }
            if period > 0 { values[input.unitCount - 1 + period] = 1 }
            return values
        }
        let untreated = (0..<input.rowCount).filter { !treated[$0] }
        let design = Matrix(columns: (0..<(input.unitCount + periodValues.count - 1)).map { c in untreated.map { stageOneRow($0)[c] } },
                            rows: untreated.count)
        let first = try LeastSquaresSolver().solve(design: design, response: untreated.map { input.outcome[$0] })
        #expect(first.droppedColumns.isEmpty)
        let adjusted = (0..<input.rowCount).map { row in input.outcome[row] - zip(first.coefficients, stageOneRow(row)).map(*).reduce(0, +) }
        // Stage 2: the adjusted outcome on horizon indicators (and, separately, on treatment), all rows, no intercept.
        let horizonOfRow = (0..<input.rowCount).map { treated[$0] ? input.periods[$0] - (input.cohorts[Int(input.unitCodes[$0])] ?? 0) : Int.min }
        let horizons = Array(Set(horizonOfRow.filter { $0 != Int.min })).sorted()
        let dynamicDesign = Matrix(columns: horizons.map { h in horizonOfRow.map { $0 == h ? 1.0 : 0 } }, rows: input.rowCount)
        let dynamic = try LeastSquaresSolver().solve(design: dynamicDesign, response: adjusted)
        let overall = try LeastSquaresSolver().solve(design: Matrix(columns: [treated.map { $0 ? 1.0 : 0 }], rows: input.rowCount), response: adjusted)

        let result = try ImputationDiD.estimate(input)
        let indices = try Self.positions(result, horizons: horizons)
        for (j, coefficient) in (dynamic.coefficients + overall.coefficients).enumerated() {
            #expect(Self.agrees(result.estimates[indices[j]].estimate, coefficient, 1e-10), "\(j): \(result.estimates[indices[j]].estimate) vs \(coefficient)")
        }
    }

    // MARK: - Pre-trend test

    @Test("lead coefficients equal a dense regression on the untreated rows; cross-covariances are NaN")
    func pretrendLeads() throws {
        let input = Self.simulatedInput(seed: 5, leads: 2)
        let result = try ImputationDiD.estimate(input)
        let leadIndices = result.estimates.indices.filter { result.estimates[$0].kind == .dynamic && (result.estimates[$0].eventTime ?? 0) < 0 }
        try #require(leadIndices.map { result.estimates[$0].eventTime } == [-2, -1])
        let periodValues = Array(Set(input.periods)).sorted()
        let untreated = (0..<input.rowCount).filter { !input.isTreated(row: $0) }
        let lead = { (row: Int, k: Int) -> Double in
            input.cohorts[Int(input.unitCodes[row])].map { $0 - input.periods[row] == k ? 1.0 : 0 } ?? 0
        }
        let fe = Self.dummies(input, rows: untreated, periodValues: periodValues)
        let design = Matrix(columns: [untreated.map { lead($0, 2) }, untreated.map { lead($0, 1) }] + (0..<fe.columns).map { fe.column($0) },
                            rows: untreated.count)
        let dense = try LeastSquaresSolver().solve(design: design, response: untreated.map { input.outcome[$0] })
        #expect(Array(dense.keptColumns.prefix(2)) == [0, 1])
        for (position, index) in leadIndices.enumerated() {
            #expect(Self.agrees(result.estimates[index].estimate, dense.coefficients[position], 1e-8))
        }
        let simple = try #require(result.index(ofLabel: "att"))
        #expect(result.covariance[leadIndices[0], simple].isNaN)
        #expect(result.covariance[leadIndices[0], leadIndices[1]].isFinite)
        let test = try #require(result.pretrend)
        #expect(test.numeratorDegrees == 2)
        #expect(test.denominatorDegrees == Double(input.unitCount - 1))
    }

    // MARK: - (3) Against Tests/Fixtures/staggered (dense numpy BJS, diff-diff, pyfixest)

    struct Fixture: Decodable {
        struct Entry: Decodable {
            let eventTime: Int?
            let estimate: Double
            let stdErrorBjs: Double
            let n: Int
            let cohorts: [String: Int]?
        }
        struct Lead: Decodable { let eventTime: Int, estimate: Double, stdError: Double }
        struct Pretrend: Decodable { let leads: [Lead], fStatistic: Double, fDf2: Int, fPValue: Double }
        struct Sample: Decodable { let nobs: Int, nUnits: Int, nTreatedUnits: Int }
        struct Imputation: Decodable { let sample: Sample, overall: Entry, byEventTime: [Entry], pretrendTest: Pretrend }
        struct Panel: Decodable { let imputation: Imputation }
        let mpdta: Panel, peru: Panel
    }

    /// The panel as Quipu reads it: mpdta as is; Peru with log(sales), rows without sales dropped,
    /// and the always-treated 2004 cohort kept (the estimator must leave it out itself).
    static func fixtureInput(_ panel: String) throws -> ImputationInput {
        let isPeru = panel == "peru"
        let path = BaconTestSupport.path(isPeru ? "Datasets/peru-natural-ingredients/peru.csv" : "Datasets/mpdta/mpdta.csv")
        let table = try CSVReader.read(path: path)
        func numeric(_ name: String) throws -> [Double] {
            guard case let .numeric(values)? = table.column(named: name) else { throw PanelError("no numeric column \(name)") }
            return values
        }
        let (unitName, cohortName) = isPeru ? ("firm_id", "pum_cohort") : ("countyreal", "first.treat")
        let outcomeValues = try numeric(isPeru ? "sales" : "lemp")
        let rows = outcomeValues.indices.filter { outcomeValues[$0].isFinite && (!isPeru || outcomeValues[$0] > 0) }
        let units = try numeric(unitName), years = try numeric("year"), cohortValues = try numeric(cohortName)
        let factor = Factor(name: unitName, keys: rows.map { Int64(units[$0]) })
        var cohorts = [Int?](repeating: nil, count: factor.levelCount)
        for (position, row) in rows.enumerated() where cohortValues[row] > 0 { cohorts[Int(factor.codes[position])] = Int(cohortValues[row]) }
        return ImputationInput(unitCodes: factor.codes, unitCount: factor.levelCount, periods: rows.map { Int(years[$0]) },
                               cohorts: cohorts, outcome: rows.map { isPeru ? log(outcomeValues[$0]) : outcomeValues[$0] },
                               unitName: unitName, timeName: "year")
    }

    @Test("mpdta and Peru: estimates, BJS standard errors, pre-trend leads and F test match the fixture (dense and iterative solver)",
          arguments: ["mpdta", "peru"], [ImputationNormalEquations.denseLevelLimit, 0])
    func fixture(panel: String, limit: Int) throws {
        let data = try QuipuTestSupport.Fixture.data("Tests/Fixtures/staggered/staggered_reference.json")
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        let file = try decoder.decode(Fixture.self, from: data)
        let reference = panel == "peru" ? file.peru.imputation : file.mpdta.imputation
        // The peers' in-sample τ̄ (Peru has gaps; Quipu's default leaves out the own unit there).
        var input = try Self.fixtureInput(panel)
        input.leaveOutOnGaps = false
        let result = try ImputationDiD.estimate(input, denseLevelLimit: limit)

        let overall = try #require(result.index(ofLabel: "att"))
        #expect(Self.agrees(result.estimates[overall].estimate, reference.overall.estimate, 1e-8))
        #expect(Self.agrees(result.standardErrors[overall], reference.overall.stdErrorBjs, 1e-6))
        #expect(result.estimates[overall].treatedUnits == reference.sample.nTreatedUnits)
        #expect(result.observationCount == reference.sample.nobs)
        #expect(result.clusterCount == reference.sample.nUnits)
        let horizons = result.estimates.filter { $0.kind == .dynamic && ($0.eventTime ?? -1) >= 0 }
        #expect(horizons.count == reference.byEventTime.count)
        for row in reference.byEventTime {
            let index = try #require(result.index(ofLabel: "e\(row.eventTime ?? -99)"))
            let estimate = result.estimates[index]
            #expect(Self.agrees(estimate.estimate, row.estimate, 1e-8), "\(panel) h = \(row.eventTime ?? 0): \(estimate.estimate) vs \(row.estimate)")
            #expect(Self.agrees(result.standardErrors[index], row.stdErrorBjs, 1e-6), "\(panel) h = \(row.eventTime ?? 0) SE")
            #expect(estimate.treatedUnits == row.n)  // one row per unit and horizon
            #expect(estimate.cohortCount == row.cohorts?.count)
        }
        for lead in reference.pretrendTest.leads {
            let index = try #require(result.index(ofLabel: "e\(lead.eventTime)"))
            #expect(Self.agrees(result.estimates[index].estimate, lead.estimate, 1e-8), "\(panel) lead \(lead.eventTime)")
            #expect(Self.agrees(result.standardErrors[index], lead.stdError, 1e-6), "\(panel) lead \(lead.eventTime) SE")
        }
        let test = try #require(result.pretrend)
        #expect(Self.agrees(test.statistic, reference.pretrendTest.fStatistic, 1e-6), "\(test.statistic) vs \(reference.pretrendTest.fStatistic)")
        #expect(test.denominatorDegrees == Double(reference.pretrendTest.fDf2))
        #expect(abs(test.pValue - reference.pretrendTest.fPValue) <= 1e-7)
        if panel == "peru" {
            #expect(result.notes.map(\.message).contains { $0.hasPrefix("132 treated rows of 11 units of 'firm_id' with no untreated period") }, "\(result.notes)")
        }
    }

    // MARK: - (4) What cannot be imputed, and errors

    @Test("treated rows of always-treated units are left out with a note, and nothing else changes")
    func alwaysTreatedUnitsLeftOut() throws {
        let input = Self.simulatedInput(seed: 7, leads: 2)
        var extended = input
        for unit in 0..<2 {
            for period in 1...8 {
                extended.unitCodes.append(Int32(input.unitCount + unit))
                extended.periods.append(period)
                extended.outcome.append(Double(period) * 0.7 + Double(unit))
            }
        }
        extended.unitCount += 2
        extended.cohorts += [1, 0]
        let base = try ImputationDiD.estimate(input), result = try ImputationDiD.estimate(extended)
        #expect(result.notes.map(\.message).contains { $0.hasPrefix("16 treated rows of 2 units of 'unit' with no untreated period") })
        #expect(result.estimates.count == base.estimates.count)
        for (a, b) in zip(result.estimates, base.estimates) { #expect(Self.agrees(a.estimate, b.estimate, 1e-12)) }
        for (a, b) in zip(result.standardErrors, base.standardErrors) { #expect(Self.agrees(a, b, 1e-12)) }
        #expect(Self.agrees(try #require(result.pretrend?.statistic), try #require(base.pretrend?.statistic), 1e-12))
        #expect(result.pretrend?.denominatorDegrees == base.pretrend?.denominatorDegrees)
        #expect(result.observationCount == input.rowCount)
        #expect(result.clusterCount == input.unitCount)
    }

    @Test("periods coded sparsely over a wide range give the same estimates, by horizon, as consecutive ones")
    func sparsePeriodCodes() throws {
        let input = Self.simulatedInput(seed: 13, leads: 0)
        var sparse = input
        sparse.periods = input.periods.map { $0 * 100_000 - 7 }
        sparse.cohorts = input.cohorts.map { $0.map { $0 * 100_000 - 7 } }
        let base = try ImputationDiD.estimate(input), result = try ImputationDiD.estimate(sparse)
        #expect(result.estimates.map { $0.eventTime } == base.estimates.map { $0.eventTime.map { $0 * 100_000 } })
        for (a, b) in zip(result.estimates, base.estimates) { #expect(Self.agrees(a.estimate, b.estimate, 1e-10)) }
        for (a, b) in zip(result.standardErrors, base.standardErrors) { #expect(Self.agrees(a, b, 1e-8)) }
    }

    @Test("an outcome that is exactly period effects plus a constant effect: no spurious error, exact estimates",
          arguments: [ImputationNormalEquations.denseLevelLimit, 0])
    func exactFit(limit: Int) throws {
        // More periods than units, so the periods are eliminated; the outcome is a period effect
        // alone, so the reduced equations' right-hand side is rounding noise, which must not be
        // mistaken for an inconsistent (not identified) system.
        var units: [Int32] = [], periods: [Int] = []
        for unit in 0..<30 {
            for period in 1...40 {
                units.append(Int32(unit))
                periods.append(period)
            }
        }
        let cohorts: [Int?] = (0..<30).map { $0 % 3 == 0 ? nil : 20 + $0 % 7 }
        var input = ImputationInput(unitCodes: units, unitCount: 30, periods: periods, cohorts: cohorts, outcome: [], pretrendLeads: 0)
        // Plus a never-treated unit × period interaction a_u b_t with Σ a = Σ b = 0: orthogonal to
        // both fixed effects in exact arithmetic, so the unit coefficients are 0 up to rounding.
        let a = (0..<30).map { $0 % 3 == 0 ? (Double($0) + 2).squareRoot() : 0 }
        let b = (1...40).map { Double($0).squareRoot() }
        let aMean = a.reduce(0, +) / 10, bMean = b.reduce(0, +) / 40
        input.outcome = units.indices.map { row in
            let unit = Int(units[row])
            let interaction = unit % 3 == 0 ? (a[unit] - aMean) * (b[periods[row] - 1] - bMean) : 0
            return 1000 + interaction + (Double(periods[row]) + 2).squareRoot() * 3.7 + (cohorts[Int(units[row])].map { periods[row] >= $0 } == true ? 0.25 : 0)
        }
        let result = try ImputationDiD.estimate(input, denseLevelLimit: limit)
        for estimate in result.estimates { #expect(abs(estimate.estimate - 0.25) <= 1e-9, "\(estimate.label): \(estimate.estimate)") }
        #expect(result.standardErrors.allSatisfy { $0.isFinite })
    }

    /// Units 0 and 1 never treated (periods 1–3 and 6–7); unit 2 (cohort 6) seen in periods 4–7
    /// only, so its untreated periods 4–5 connect to nothing else; unit 3 (cohort 3) in 1–7.
    static func disconnectedInput() -> ImputationInput {
        var units: [Int32] = [], periods: [Int] = []
        let spans: [[Int]] = [[1, 2, 3, 6, 7], [1, 2, 3, 6, 7], [4, 5, 6, 7], Array(1...7)]
        for (unit, span) in spans.enumerated() {
            for period in span {
                units.append(Int32(unit))
                periods.append(period)
            }
        }
        let outcome = units.indices.map { Double(units[$0]) + 0.1 * Double(periods[$0] * periods[$0] % 7) }
        return ImputationInput(unitCodes: units, unitCount: 4, periods: periods, cohorts: [nil, nil, 6, 3], outcome: outcome, pretrendLeads: 0)
    }

    @Test("treated rows whose fixed effects are not connected to the untreated rows are left out", arguments: [1200, 0])
    func notIdentifiedRowsLeftOut(limit: Int) throws {
        let result = try ImputationDiD.estimate(Self.disconnectedInput(), denseLevelLimit: limit)
        // Unit 2 at 6, 7 and unit 3 at 4, 5 straddle the two components.
        #expect(result.notes.map(\.message).contains { $0.hasPrefix("4 treated rows whose fixed effects are not identified") }, "\(result.notes)")
        #expect(result.estimates.first { $0.kind == .simple }?.treatedUnits == 1)
        #expect(result.observationCount == 21 - 4)
    }

    @Test("no untreated rows, nothing imputable and malformed input are errors")
    func errors() throws {
        let units: [Int32] = [0, 0, 1, 1], periods = [1, 2, 1, 2], outcome = [1.0, 2, 3, 5]
        let allTreated = ImputationInput(unitCodes: units, unitCount: 2, periods: periods, cohorts: [1, 1], outcome: outcome)
        #expect { try ImputationDiD.estimate(allTreated) } throws: { "\($0)".contains("no untreated observations") }
        let alwaysTreated = ImputationInput(unitCodes: units, unitCount: 2, periods: periods, cohorts: [nil, 1], outcome: outcome)
        #expect { try ImputationDiD.estimate(alwaysTreated) } throws: {
            "\($0)".contains("none of the 2 treated rows can be imputed") && "\($0)".contains("treated throughout")
        }
        let untreatedOnly = ImputationInput(unitCodes: units, unitCount: 2, periods: periods, cohorts: [nil, 5], outcome: outcome)
        #expect { try ImputationDiD.estimate(untreatedOnly) } throws: { "\($0)".contains("no treated observations") }
        var mismatched = alwaysTreated
        mismatched.periods.removeLast()
        #expect { try ImputationDiD.estimate(mismatched) } throws: { "\($0)".contains("every row needs all three") }
        var tooManyLeads = alwaysTreated
        tooManyLeads.pretrendLeads = 5_000
        #expect { try ImputationDiD.estimate(tooManyLeads) } throws: { "\($0)".contains("0 to 1000 leads") }
        var farPeriod = alwaysTreated
        farPeriod.periods[0] = Int.max
        #expect { try ImputationDiD.estimate(farPeriod) } throws: { "\($0)".contains("must lie within") }
        var notFinite = alwaysTreated
        notFinite.outcome[1] = .nan
        #expect { try ImputationDiD.estimate(notFinite) } throws: { "\($0)".contains("not finite") }
    }
}
