// The imputation estimator with a Poisson first stage (`--effect proportional`), for outcomes with
// zeros such as export values: unit and period effects are fitted by Poisson pseudo-maximum
// likelihood (the landed `fepois`) on the untreated observations only, each treated observation's
// untreated outcome is imputed as Ŷ(0) = exp(α̂ᵢ + λ̂ₜ), and the effect of a set A of treated
// observations is log(Σ_A Y / Σ_A Ŷ(0)): the log ratio of the treated units' mean to their
// counterfactual mean, the proportional effect Chen & Roth (2024, "Logs with zeros?", QJE)
// recommend and the scale of the truth file's `log_ratio_of_means`. This is Borusyak, Jaravel &
// Spiess's (2024, REStud) imputation with the linear first stage replaced by Poisson, as
// Wooldridge (2023, Econometrics Journal) does for nonlinear models.
//
// Goals, in order:
// 1. Estimates for every cohort × period cell, every horizon and overall, from one first stage.
// 2. What cannot be imputed follows the linear imputation's rules (ImputationSample): treated rows
//    whose unit or period has no untreated row, or is not connected to the rest, are left out and
//    counted. A unit or period whose untreated outcomes are all zero has exp(α̂) = 0 (fepois drops
//    it as an all-zero group or as separated; the first-order condition of its effect gives
//    exp(α̂ᵢ) = Σₜ Yᵢₜ / Σₜ exp(λ̂ₜ) = 0), so its treated rows are imputed 0 and counted in a note:
//    that estimate of the counterfactual mean is unbiased, while leaving them out would keep only
//    the units that happened to have a positive untreated outcome.
// 3. Analytic standard errors by the delta method through the first stage's scores
//    (ImputationDiD+PoissonVariance.swift), clustered by unit unless told otherwise.

import Estimation
import Formula
import Foundation
import Inference
import LinearAlgebra
import PanelData
import Primitives

extension ImputationDiD {
    /// The imputed untreated means of a Poisson first stage.
    struct PoissonFirstStage {
        /// exp(α̂ + λ̂) on the untreated rows (the fitted means) and on the treated rows (Ŷ(0)).
        let untreatedFitted: [Double]
        let treatedFitted: [Double]
        /// What the first stage dropped or imputed as zero.
        let notes: [String]
    }

    /// Proportional effects by cohort × period cell, horizon and overall, with the Poisson first
    /// stage, and their joint covariance (delta method, clustered).
    ///
    /// Estimates come in this order: the overall effect (`.simple`), one `.dynamic` entry per
    /// horizon, then one `.attGT` entry per cohort × period cell.
    public static func estimatePoisson(_ input: ImputationInput, threads: Int = 1) throws -> StaggeredResult {
        try estimatePoisson(input, threads: threads, cellBudget: 1 << 26)
    }

    /// `estimatePoisson`, with the numbers (clusters and levels × estimands) above which the
    /// cells are left out (for tests).
    static func estimatePoisson(_ input: ImputationInput, threads: Int, cellBudget: Int) throws -> StaggeredResult {
        try input.validate()
        guard input.extraFixedEffects.isEmpty else {
            throw PanelError("imputation with --effect proportional fits \(input.unitName) and \(input.timeName) effects by Poisson; further fixed effects (--fe) are not available with it: drop --fe or use --effect level")
        }
        if let smallest = input.outcome.min(), smallest < 0 {
            throw PanelError("imputation with --effect proportional needs an outcome ≥ 0; the smallest value is \(smallest)")
        }
        var sample = try ImputationSample(input)
        let equations = try ImputationNormalEquations(
            primary: sample.untreatedPrimary, primaryCount: sample.primaryCount, secondary: sample.untreatedSecondary,
            width: sample.width, secondaryCount: sample.secondaryCount)
        sample.dropUnidentified(by: equations)
        let clusters = input.effectiveClusters
        let stage = try poissonFirstStage(sample, threads: threads)
        let keep = stage.treatedFitted.map { $0.isFinite }
        if keep.contains(false) {
            sample.notes.append("\(ImputationSample.count(keep.filter { !$0 }.count, "treated row")) whose period effect the Poisson first stage could not estimate (not connected to the rest) cannot be imputed and were left out")
            sample.treated = sample.treated.filtered(keep, width: sample.width)
        }
        let treatedFitted = stage.treatedFitted.filter { $0.isFinite }
        guard sample.treated.count > 0 else {
            let reasons = sample.notes.isEmpty ? "" : ": " + sample.notes.joined(separator: "; ")
            throw PanelError("imputation: none of the \(ImputationSample.count(sample.treatedRowCount, "treated row")) can be imputed\(reasons)")
        }
        // Cells multiply the estimands, and the variance keeps a cluster × estimand and a level ×
        // estimand array: without cells when those would pass 2²⁶ numbers (512 MB).
        var sets = PoissonImputationEstimands(sample: sample, includeCells: true)
        if (clusters.levelCount + sample.primaryCount) * sets.count > cellBudget {
            sets = PoissonImputationEstimands(sample: sample, includeCells: false)
            sample.notes.append("cohort × period cells not reported: \(clusters.levelCount) clusters × their estimands pass the memory budget (2^26 numbers); the overall and horizon effects are reported")
        }
        var observed = [Double](repeating: 0, count: sets.count), imputed = [Double](repeating: 0, count: sets.count)
        for row in 0..<sample.treated.count {
            for j in sets.members(ofRow: row) {
                observed[j] += sample.treated.outcome[row]
                imputed[j] += treatedFitted[row]
            }
        }
        let ratios = zip(observed, imputed).map { $0 > 0 && $1 > 0 ? log($0 / $1) : Double.nan }
        let variance = try poissonCovariance(sample: sample, untreatedFitted: stage.untreatedFitted, treatedFitted: treatedFitted,
                                             sets: sets, observed: observed, imputed: imputed, clusterCount: clusters.levelCount)
        var notes = sample.notes + stage.notes
        let undefined = sets.estimates.indices.filter { !ratios[$0].isFinite }.map { sets.estimates[$0].label }
        if !undefined.isEmpty {
            notes.append("no proportional effect for " + undefined.joined(separator: ", ") + ": the treated outcomes or their imputed untreated means sum to zero")
        }
        if input.pretrendLeads > 0 {
            notes.append("no pre-trend test on the proportional scale: the leads test (--leads) is the linear imputation's")
        }
        notes.append("proportional effects (Chen & Roth 2024): log(ΣY / ΣŶ(0)) over the treated observations, Ŷ(0) = exp(α̂ + λ̂) from a Poisson fit (fepois) of \(input.unitName) and \(input.timeName) effects on the untreated observations; % change = 100·(exp(b) − 1)")
        let estimates = sets.estimates.enumerated().map { j, e in
            StaggeredEstimate(kind: e.kind, eventTime: e.eventTime, group: e.group, time: e.time, estimate: ratios[j],
                              treatedUnits: e.treatedUnits, cohortCount: e.cohortCount)
        }
        return StaggeredResult(
            estimator: .imputation, estimates: estimates, covariance: variance.covariance,
            degreesOfFreedom: FewClusters.degreesOfFreedom(clusters: variance.clustersUsed),
            inference: InferenceDescription(method: "analytic (delta method through the Poisson first stage's scores)",
                                            clustering: .init(variable: clusters.name)),
            observationCount: sample.untreatedOutcome.count + sample.treated.count, clusterCount: variance.clustersUsed,
            notes: notes.map { Diagnostic(.note, .note, $0) }, standardErrorFloor: Double.ulpOfOne.squareRoot() * 10)
    }

    /// Fits log E[Y(0)] = α(primary) + λ(secondary) on the untreated rows with `fepois` (the
    /// secondary levels as indicators, the primary absorbed), then α from its first-order
    /// condition exp(α̂ₚ) = Σ Y / Σ exp(λ̂ₛ) over the level's untreated rows.
    static func poissonFirstStage(_ sample: ImputationSample, threads: Int) throws -> PoissonFirstStage {
        let rows = sample.untreatedOutcome.count
        let levels = sample.secondaryCount
        var totals = [Double](repeating: 0, count: levels)
        for row in 0..<rows { totals[Int(sample.untreatedSecondary[row])] += sample.untreatedOutcome[row] }
        guard let reference = totals.indices.max(by: { totals[$0] < totals[$1] }), totals[reference] > 0 else {
            throw PanelError("imputation with --effect proportional: the outcome is zero in every untreated observation, so the Poisson first stage has nothing to fit")
        }
        // The reference is the level with the largest total: never one that separation removes.
        var names = ["y", "primary"], columns: [Column] = [.numeric(sample.untreatedOutcome), .numeric(sample.untreatedPrimary.map { Double($0) })]
        var dummyOf = [Int: String]()
        for level in 0..<levels where level != reference {
            var indicator = [Double](repeating: 0, count: rows)
            for row in 0..<rows where Int(sample.untreatedSecondary[row]) == level { indicator[row] = 1 }
            dummyOf[level] = "s\(level)"
            names.append("s\(level)")
            columns.append(.numeric(indicator))
        }
        let right = levels > 1 ? (0..<levels).compactMap { dummyOf[$0] }.joined(separator: " + ") : "1"
        let table = DataTable(source: "imputation first stage", names: names, columns: columns, rowCount: rows)
        let frame = try ModelFrame(table: table, formula: try ModelFormula.parse("y ~ \(right) | primary"),
                                   options: ModelFrameOptions(removeSingletons: false))
        let fit = try PoissonModel.fit(frame, options: PoissonModelOptions(threads: threads))
        let coefficient = Dictionary(uniqueKeysWithValues: zip(fit.coefficientNames, fit.coefficients))
        // exp(λ̂): 1 for the reference, 0 for a level whose untreated outcomes are all zero
        // (separated), NaN for one the fit could not estimate otherwise.
        let expSecondary = (0..<levels).map { level -> Double in
            if level == reference { return 1 }
            if let name = dummyOf[level], let value = coefficient[name] { return exp(value) }
            return totals[level] == 0 ? 0 : .nan
        }
        var outcomeSums = [Double](repeating: 0, count: sample.primaryCount)
        var meanSums = [Double](repeating: 0, count: sample.primaryCount)
        for row in 0..<rows {
            let scale = expSecondary[Int(sample.untreatedSecondary[row])]
            guard scale.isFinite else { continue }
            outcomeSums[Int(sample.untreatedPrimary[row])] += sample.untreatedOutcome[row]
            meanSums[Int(sample.untreatedPrimary[row])] += scale
        }
        let expPrimary = zip(outcomeSums, meanSums).map { $0 > 0 && $1 > 0 ? $0 / $1 : 0 }
        func fitted(_ primary: Int32, _ secondary: Int32) -> Double { expPrimary[Int(primary)] * expSecondary[Int(secondary)] }
        let untreatedFitted = (0..<rows).map { fitted(sample.untreatedPrimary[$0], sample.untreatedSecondary[$0]) }
        let treatedFitted = (0..<sample.treated.count).map { fitted(sample.treated.primary[$0], sample.treated.secondary[$0]) }
        var notes = fit.separationDiagnostics.map { "Poisson first stage: " + $0.message }
        let zeroRows = treatedFitted.filter { $0 == 0 }.count
        if zeroRows > 0 {
            notes.append("\(ImputationSample.count(zeroRows, "treated row")) of units or periods whose untreated outcomes are all zero are imputed Ŷ(0) = 0 (the Poisson first stage's limit, exp(α̂) = ΣY / Σexp(λ̂) = 0): their outcomes count in ΣY and add nothing to ΣŶ(0)")
        }
        return PoissonFirstStage(untreatedFitted: untreatedFitted, treatedFitted: treatedFitted, notes: notes)
    }
}
