// One 2x2 difference-in-differences with panel data: the ATT of units treated between a base and a
// current period against comparison units, with its influence function, by outcome regression,
// inverse probability weighting or the doubly robust combination of both.
//
// Goals, in order:
// 1. The numbers of R DRDID, which R did calls for every ATT(g,t): `reg_did_panel` (Heckman,
//    Ichimura & Todd 1997 outcome regression), `std_ipw_did_panel` (Abadie 2005, normalised
//    weights) and `drdid_panel` (Sant'Anna & Zhao 2020, the "traditional" locally efficient doubly
//    robust estimator with a logit propensity score and OLS outcome regression — the one R did's
//    `est_method = "dr"` uses), including their propensity-score trimming (scores capped at
//    1 − 1e-6; comparison units with a score of 0.995 or more get no weight) and the estimation
//    effects of the nuisance models in the influence function.
// 2. Linear time in the number of units with no N × k temporaries beyond the design itself.

/// The estimation method of a 2x2 comparison.
public enum TwoByTwoMethod: String, Sendable, CaseIterable {
    /// Doubly robust (Sant'Anna & Zhao 2020).
    case dr
    /// Inverse probability weighting, normalised (Abadie 2005).
    case ipw
    /// Outcome regression (Heckman, Ichimura & Todd 1997).
    case reg
}

/// One 2x2 comparison's data: outcome changes, treatment, and covariates with an intercept.
struct TwoByTwoData {
    /// Y(current) − Y(base) per unit.
    var change: [Double]
    /// Whether each unit is in the treated cohort.
    var treated: [Bool]
    /// Row-major design with a leading intercept column.
    var design: [Double]
    /// Columns of `design`.
    var columns: Int
}

/// A propensity-score fit kept for the next comparison with the same units.
struct PropensityCache {
    enum Outcome {
        case success([Double])
        case failure(String)
    }
    let members: [Int]
    let result: Outcome
}

/// The result of a 2x2 comparison.
enum TwoByTwoResult {
    /// The ATT and its influence function (one value per unit of the comparison, mean zero).
    case estimate(att: Double, influence: [Double])
    /// No estimate: the reason, for the report.
    case notIdentified(String)
}

extension TwoByTwoData {
    /// Trimming threshold of comparison units' propensity scores (R DRDID's `trim.level`).
    static let trimLevel = 0.995

    /// Estimates the ATT with `method`. `propensityCache` holds the last propensity-score fit: the
    /// score depends only on who is compared and their covariates, not on the periods, so cells of
    /// one cohort with the same comparison units (every period, with never-treated controls)
    /// share it.
    func estimate(_ method: TwoByTwoMethod, propensityCache: inout PropensityCache?, members: [Int]) -> TwoByTwoResult {
        let n = treated.count
        let treatedCount = treated.lazy.filter { $0 }.count
        guard treatedCount > 0, treatedCount < n else { return .notIdentified("no treated or no comparison units") }
        var propensity: [Double]? = nil
        if method != .reg, let cache = propensityCache, cache.members == members {
            switch cache.result {
            case let .success(fitted): propensity = fitted
            case let .failure(reason): return .notIdentified(reason)
            }
        } else if method != .reg {
            defer { if let propensity { propensityCache = PropensityCache(members: members, result: .success(propensity)) } }
            do {
                let logit = try LogitModel(design: design, columns: columns, treated: treated)
                // R did skips a cell whose preliminary propensity scores reach 0.999 (overlap fails).
                if logit.fitted.contains(where: { $0 >= 0.999 }) {
                    return .notIdentified("overlap fails: propensity scores reach 0.999 (the covariates nearly separate treated from comparison units)")
                }
                propensity = logit.fitted.map { min($0, 1 - 1e-6) }
            } catch .separation {
                return .notIdentified("overlap fails: the covariates separate treated from comparison units perfectly")
            } catch {
                return .notIdentified("the propensity score's covariates are collinear")
            }
        }
        var outcomeFit: (coefficients: [Double], inverse: SmallSystem)? = nil
        if method != .ipw {
            guard let fit = controlRegression() else {
                return .notIdentified("too few comparison units to fit the outcome regression on the covariates")
            }
            outcomeFit = fit
        }
        switch method {
        case .reg: return regression(outcomeFit!)
        case .ipw: return weighting(propensity!)
        case .dr: return doublyRobust(propensity!, outcomeFit!)
        }
    }

    /// OLS of the change on the design among comparison units, and the factor of X′X/n.
    private func controlRegression() -> (coefficients: [Double], inverse: SmallSystem)? {
        let n = treated.count
        var crossProduct = [Double](repeating: 0, count: columns * columns)
        var moment = [Double](repeating: 0, count: columns)
        for i in 0..<n where !treated[i] {
            let base = i * columns
            for a in 0..<columns {
                moment[a] += design[base + a] * change[i]
                for b in 0...a { crossProduct[a * columns + b] += design[base + a] * design[base + b] }
            }
        }
        for a in 0..<columns {
            for b in 0...a {
                crossProduct[a * columns + b] /= Double(n)
                crossProduct[b * columns + a] = crossProduct[a * columns + b]
            }
            moment[a] /= Double(n)
        }
        guard let system = SmallSystem(crossProduct, order: columns) else { return nil }
        return (system.solve(moment), system)
    }

    private func fittedChange(_ coefficients: [Double], _ i: Int) -> Double {
        var value = 0.0
        for a in 0..<columns { value += design[i * columns + a] * coefficients[a] }
        return value
    }

    /// (X′WX)⁻¹·n applied to `vector`, W = p(1 − p): the logit's inverse Hessian direction.
    private func propensityDirection(_ p: [Double], _ vector: [Double]) -> [Double]? {
        let n = treated.count
        var information = [Double](repeating: 0, count: columns * columns)
        for i in 0..<n {
            let weight = p[i] * (1 - p[i])
            let base = i * columns
            for a in 0..<columns { for b in 0...a { information[a * columns + b] += weight * design[base + a] * design[base + b] } }
        }
        for a in 0..<columns { for b in 0..<a { information[b * columns + a] = information[a * columns + b] } }
        guard let system = SmallSystem(information, order: columns) else { return nil }
        return system.solve(vector).map { $0 * Double(n) }
    }

    private func dot(_ i: Int, _ vector: [Double]) -> Double {
        var value = 0.0
        for a in 0..<columns { value += design[i * columns + a] * vector[a] }
        return value
    }

    /// Outcome regression: the treated's mean change minus their predicted untreated change.
    private func regression(_ fit: (coefficients: [Double], inverse: SmallSystem)) -> TwoByTwoResult {
        let n = Double(treated.count)
        var treatedWeight = 0.0, treatedChange = 0.0, treatedPrediction = 0.0
        var meanDesign = [Double](repeating: 0, count: columns)
        var predictions = [Double](repeating: 0, count: treated.count)
        for i in treated.indices {
            predictions[i] = fittedChange(fit.coefficients, i)
            guard treated[i] else { continue }
            treatedWeight += 1
            treatedChange += change[i]
            treatedPrediction += predictions[i]
            for a in 0..<columns { meanDesign[a] += design[i * columns + a] }
        }
        let meanTreated = treatedWeight / n
        let etaTreated = treatedChange / treatedWeight, etaControl = treatedPrediction / treatedWeight
        let direction = fit.inverse.solve(meanDesign.map { $0 / n })
        var influence = [Double](repeating: 0, count: treated.count)
        for i in treated.indices {
            let w = treated[i] ? 1.0 : 0.0
            let inTreated = (w * change[i] - w * etaTreated) / meanTreated
            let ols = treated[i] ? 0 : (change[i] - predictions[i]) * dot(i, direction)
            let inControl = (w * predictions[i] - w * etaControl + ols) / meanTreated
            influence[i] = inTreated - inControl
        }
        return .estimate(att: etaTreated - etaControl, influence: influence)
    }

    static let allTrimmed = "every comparison unit was trimmed (propensity score of 0.995 or more)"

    /// The treated units' mean of `values` and the comparison units' mean weighted by the odds
    /// p/(1 − p), with those weights (zero for treated and trimmed units) and the weight totals:
    /// the common core of IPW (on the changes) and DR (on the outcome regression's residuals).
    private func oddsWeightedMeans(_ values: [Double], _ p: [Double])
        -> (weights: [Double], treated: Double, control: Double, treatedWeight: Double, controlWeight: Double)?
    {
        var weights = [Double](repeating: 0, count: treated.count)
        var treatedWeight = 0.0, treatedSum = 0.0, controlWeight = 0.0, controlSum = 0.0
        for i in treated.indices {
            if treated[i] {
                treatedWeight += 1
                treatedSum += values[i]
            } else if p[i] < Self.trimLevel {
                let w = p[i] / (1 - p[i])
                weights[i] = w
                controlWeight += w
                controlSum += w * values[i]
            }
        }
        guard controlWeight > 0 else { return nil }
        return (weights, treatedSum / treatedWeight, controlSum / controlWeight, treatedWeight, controlWeight)
    }

    /// Normalised inverse probability weighting.
    private func weighting(_ p: [Double]) -> TwoByTwoResult {
        let count = treated.count, n = Double(count)
        guard let means = oddsWeightedMeans(change, p) else { return .notIdentified(Self.allTrimmed) }
        let controlWeights = means.weights, etaTreated = means.treated, etaControl = means.control
        var m2 = [Double](repeating: 0, count: columns)
        for i in 0..<count where controlWeights[i] > 0 {
            let factor = controlWeights[i] * (change[i] - etaControl) / n
            for a in 0..<columns { m2[a] += factor * design[i * columns + a] }
        }
        guard let direction = propensityDirection(p, m2) else { return .notIdentified("the propensity score's covariates are collinear") }
        let meanTreated = means.treatedWeight / n, meanControl = means.controlWeight / n
        var influence = [Double](repeating: 0, count: count)
        for i in 0..<count {
            let d = treated[i] ? 1.0 : 0.0
            let inTreated = d * (change[i] - etaTreated) / meanTreated
            let score = (d - p[i]) * dot(i, direction)
            let inControl = (controlWeights[i] * (change[i] - etaControl) + score) / meanControl
            influence[i] = inTreated - inControl
        }
        return .estimate(att: etaTreated - etaControl, influence: influence)
    }

    /// The doubly robust estimator: weighting applied to the outcome regression's residuals.
    private func doublyRobust(_ p: [Double], _ fit: (coefficients: [Double], inverse: SmallSystem)) -> TwoByTwoResult {
        let count = treated.count, n = Double(count)
        let residuals = (0..<count).map { change[$0] - fittedChange(fit.coefficients, $0) }
        guard let means = oddsWeightedMeans(residuals, p) else { return .notIdentified(Self.allTrimmed) }
        let controlWeights = means.weights, etaTreated = means.treated, etaControl = means.control
        var m1 = [Double](repeating: 0, count: columns), m2 = m1, m3 = m1
        for i in 0..<count {
            let base = i * columns
            if treated[i] {
                for a in 0..<columns { m1[a] += design[base + a] / n }
            } else if controlWeights[i] > 0 {
                let w = controlWeights[i]
                let factor = w * (residuals[i] - etaControl) / n
                for a in 0..<columns {
                    m2[a] += factor * design[base + a]
                    m3[a] += w * design[base + a] / n
                }
            }
        }
        guard let propensity = propensityDirection(p, m2) else { return .notIdentified("the propensity score's covariates are collinear") }
        let olsTreated = fit.inverse.solve(m1), olsControl = fit.inverse.solve(m3)
        let meanTreated = means.treatedWeight / n, meanControl = means.controlWeight / n
        var influence = [Double](repeating: 0, count: count)
        for i in 0..<count {
            let d = treated[i] ? 1.0 : 0.0
            // The OLS estimation effect enters through comparison units only (the fit uses them).
            let olsTerm = treated[i] ? (0.0, 0.0) : (residuals[i] * dot(i, olsTreated), residuals[i] * dot(i, olsControl))
            let inTreated = (d * (residuals[i] - etaTreated) - olsTerm.0) / meanTreated
            let score = (d - p[i]) * dot(i, propensity)
            let inControl = (controlWeights[i] * (residuals[i] - etaControl) + score - olsTerm.1) / meanControl
            influence[i] = inTreated - inControl
        }
        return .estimate(att: etaTreated - etaControl, influence: influence)
    }
}
