// One 2x2 difference-in-differences on an unbalanced panel, treated as repeated cross-sections of
// the base and current periods, as R did does with `allow_unbalanced_panel = TRUE`: each row is an
// observation (a unit observed in both periods contributes two), the nuisance models are fitted on
// rows, and the caller sums the rows' influence functions within units.
//
// Goals, in order:
// 1. The numbers of R DRDID's `reg_did_rc`, `std_ipw_did_rc` and `drdid_rc` (Sant'Anna & Zhao
//    2020, §3.2: the locally efficient doubly robust estimator with outcome regressions for both
//    groups in both periods), with the same propensity-score cap and trimming as the panel case.
// 2. Linear time in the rows of the comparison.

/// One 2x2 comparison's rows: outcome, period (post), treatment, covariates with an intercept.
struct RepeatedCrossSectionData {
    var outcome: [Double]
    var post: [Bool]
    var treated: [Bool]
    /// Row-major design with a leading intercept column.
    var design: [Double]
    var columns: Int

    /// Least squares of the outcome on the design over the rows in `subset`, with the factor of
    /// X′X/n (n: all rows) that the influence function's OLS term needs.
    private func regression(_ subset: (Int) -> Bool) -> (coefficients: [Double], system: SmallSystem, inSubset: [Bool])? {
        let n = outcome.count
        var crossProduct = [Double](repeating: 0, count: columns * columns)
        var moment = [Double](repeating: 0, count: columns)
        var inSubset = [Bool](repeating: false, count: n)
        for i in 0..<n where subset(i) {
            inSubset[i] = true
            let base = i * columns
            for a in 0..<columns {
                moment[a] += design[base + a] * outcome[i] / Double(n)
                for b in 0...a { crossProduct[a * columns + b] += design[base + a] * design[base + b] / Double(n) }
            }
        }
        for a in 0..<columns { for b in 0..<a { crossProduct[b * columns + a] = crossProduct[a * columns + b] } }
        guard let system = SmallSystem(crossProduct, order: columns) else { return nil }
        return (system.solve(moment), system, inSubset)
    }

    private func dot(_ i: Int, _ vector: [Double]) -> Double {
        var value = 0.0
        for a in 0..<columns { value += design[i * columns + a] * vector[a] }
        return value
    }

    /// Column means of `weight(i) · xᵢ`.
    private func weightedMean(_ weight: (Int) -> Double) -> [Double] {
        var result = [Double](repeating: 0, count: columns)
        let n = Double(outcome.count)
        for i in 0..<outcome.count {
            let w = weight(i)
            guard w != 0 else { continue }
            for a in 0..<columns { result[a] += w * design[i * columns + a] / n }
        }
        return result
    }

    /// A fitted regression's OLS influence term applied to `vector`, per row.
    private func olsTerm(_ fit: (coefficients: [Double], system: SmallSystem, inSubset: [Bool]), _ vector: [Double]) -> [Double] {
        let direction = fit.system.solve(vector)
        return (0..<outcome.count).map { i in fit.inSubset[i] ? (outcome[i] - dot(i, fit.coefficients)) * dot(i, direction) : 0 }
    }

    private func mean(_ values: [Double]) -> Double { values.reduce(0, +) / Double(values.count) }

    /// Estimates the ATT with `method`; the influence function has one value per row.
    func estimate(_ method: TwoByTwoMethod) -> TwoByTwoResult {
        let n = outcome.count
        let cells = (0..<n).reduce(into: [0, 0, 0, 0]) { counts, i in counts[(treated[i] ? 2 : 0) + (post[i] ? 1 : 0)] += 1 }
        guard cells.allSatisfy({ $0 > 0 }) else {
            return .notIdentified("treated or comparison units are missing in the base or the current period")
        }
        var p = [Double](repeating: 0, count: n)
        var trim = [Double](repeating: 1, count: n)
        var propensityDirection: ([Double]) -> [Double]? = { _ in nil }
        if method != .reg {
            do {
                let logit = try LogitModel(design: design, columns: columns, treated: treated)
                if logit.fitted.contains(where: { $0 >= 0.999 }) {
                    return .notIdentified("overlap fails: propensity scores reach 0.999 (the covariates nearly separate treated from comparison units)")
                }
                p = logit.fitted.map { min($0, 1 - 1e-6) }
            } catch .separation {
                return .notIdentified("overlap fails: the covariates separate treated from comparison units perfectly")
            } catch {
                return .notIdentified("the propensity score's covariates are collinear")
            }
            for i in 0..<n where !treated[i] && p[i] >= TwoByTwoData.trimLevel { trim[i] = 0 }
            var information = [Double](repeating: 0, count: columns * columns)
            for i in 0..<n {
                let w = p[i] * (1 - p[i])
                for a in 0..<columns { for b in 0...a { information[a * columns + b] += w * design[i * columns + a] * design[i * columns + b] } }
            }
            for a in 0..<columns { for b in 0..<a { information[b * columns + a] = information[a * columns + b] } }
            guard let system = SmallSystem(information, order: columns) else { return .notIdentified("the propensity score's covariates are collinear") }
            let scores = p
            propensityDirection = { vector in
                let direction = system.solve(vector).map { $0 * Double(n) }
                return (0..<n).map { i in ((self.treated[i] ? 1 : 0) - scores[i]) * self.dot(i, direction) }
            }
        }
        let d = treated.map { $0 ? 1.0 : 0.0 }, t = post.map { $0 ? 1.0 : 0.0 }
        switch method {
        case .reg:
            guard let pre = regression({ !treated[$0] && !post[$0] }), let after = regression({ !treated[$0] && post[$0] }) else {
                return .notIdentified("too few comparison units to fit the outcome regressions on the covariates")
            }
            let fitPre = (0..<n).map { dot($0, pre.coefficients) }, fitPost = (0..<n).map { dot($0, after.coefficients) }
            let wTreatPre = (0..<n).map { d[$0] * (1 - t[$0]) }, wTreatPost = (0..<n).map { d[$0] * t[$0] }
            let etaTreatPre = mean((0..<n).map { wTreatPre[$0] * outcome[$0] }) / mean(wTreatPre)
            let etaTreatPost = mean((0..<n).map { wTreatPost[$0] * outcome[$0] }) / mean(wTreatPost)
            let contribution = (0..<n).map { d[$0] * (fitPost[$0] - fitPre[$0]) }
            let etaControl = mean(contribution) / mean(d)
            let m1 = weightedMean { d[$0] }
            let olsPost = olsTerm(after, m1), olsPre = olsTerm(pre, m1)
            let influence = (0..<n).map { i -> Double in
                let inTreat = (wTreatPost[i] * (outcome[i] - etaTreatPost)) / mean(wTreatPost) - (wTreatPre[i] * (outcome[i] - etaTreatPre)) / mean(wTreatPre)
                let inControl = (contribution[i] - d[i] * etaControl + olsPost[i] - olsPre[i]) / mean(d)
                return inTreat - inControl
            }
            return .estimate(att: (etaTreatPost - etaTreatPre) - etaControl, influence: influence)
        case .ipw:
            let odds = (0..<n).map { trim[$0] * p[$0] * (1 - d[$0]) / (1 - p[$0]) }
            let treatPre: [Double] = (0..<n).map { d[$0] * (1 - t[$0]) }
            let treatPost: [Double] = (0..<n).map { d[$0] * t[$0] }
            let contPre: [Double] = (0..<n).map { odds[$0] * (1 - t[$0]) }
            let contPost: [Double] = (0..<n).map { odds[$0] * t[$0] }
            let w: [[Double]] = [treatPre, treatPost, contPre, contPost]
            let means = w.map { mean($0) }
            guard means[2] > 0, means[3] > 0 else { return .notIdentified(TwoByTwoData.allTrimmed) }
            let att = (0..<4).map { k in mean((0..<n).map { w[k][$0] * outcome[$0] }) / means[k] }
            let m2Pre = weightedMean { w[2][$0] * (outcome[$0] - att[2]) / means[2] }
            let m2Post = weightedMean { w[3][$0] * (outcome[$0] - att[3]) / means[3] }
            guard let score = propensityDirection(zip(m2Post, m2Pre).map { $0 - $1 }) else { return .notIdentified("the propensity score's covariates are collinear") }
            let influence = (0..<n).map { i -> Double in
                let part = (0..<4).map { k in w[k][i] * (outcome[i] - att[k]) / means[k] }
                return (part[1] - part[0]) - (part[3] - part[2] + score[i])
            }
            return .estimate(att: (att[1] - att[0]) - (att[3] - att[2]), influence: influence)
        case .dr:
            guard let contPre = regression({ !treated[$0] && !post[$0] }), let contPost = regression({ !treated[$0] && post[$0] }),
                  let treatPre = regression({ treated[$0] && !post[$0] }), let treatPost = regression({ treated[$0] && post[$0] }) else {
                return .notIdentified("too few units in a group and period to fit the outcome regressions on the covariates")
            }
            return doublyRobust(d: d, t: t, p: p, trim: trim, fits: (contPre, contPost, treatPre, treatPost), propensity: propensityDirection)
        }
    }

    private typealias Fit = (coefficients: [Double], system: SmallSystem, inSubset: [Bool])

    /// `drdid_rc`: the locally efficient doubly robust estimator for repeated cross-sections.
    private func doublyRobust(d: [Double], t: [Double], p: [Double], trim: [Double], fits: (Fit, Fit, Fit, Fit),
                              propensity: ([Double]) -> [Double]?) -> TwoByTwoResult {
        let n = outcome.count
        let (contPre, contPost, treatPre, treatPost) = fits
        let yContPre = (0..<n).map { dot($0, contPre.coefficients) }, yContPost = (0..<n).map { dot($0, contPost.coefficients) }
        let yTreatPre = (0..<n).map { dot($0, treatPre.coefficients) }, yTreatPost = (0..<n).map { dot($0, treatPost.coefficients) }
        let yCont = (0..<n).map { t[$0] == 1 ? yContPost[$0] : yContPre[$0] }
        let odds = (0..<n).map { trim[$0] * p[$0] * (1 - d[$0]) / (1 - p[$0]) }
        let wTreatPre = (0..<n).map { d[$0] * (1 - t[$0]) }, wTreatPost = (0..<n).map { d[$0] * t[$0] }
        let wContPre = (0..<n).map { odds[$0] * (1 - t[$0]) }, wContPost = (0..<n).map { odds[$0] * t[$0] }
        let wD = d, wDt1 = wTreatPost, wDt0 = wTreatPre
        let means = [wTreatPre, wTreatPost, wContPre, wContPost, wD, wDt1, wDt0].map { mean($0) }
        guard means[2] > 0, means[3] > 0 else { return .notIdentified(TwoByTwoData.allTrimmed) }
        // Summands η and their means (the components of the estimator).
        let residual = (0..<n).map { outcome[$0] - yCont[$0] }
        let gapPost = (0..<n).map { yTreatPost[$0] - yContPost[$0] }, gapPre = (0..<n).map { yTreatPre[$0] - yContPre[$0] }
        func scaled(_ weights: [Double], _ values: [Double], _ divisor: Double) -> [Double] {
            (0..<n).map { weights[$0] * values[$0] / divisor }
        }
        let eta: [[Double]] = [
            scaled(wTreatPre, residual, means[0]), scaled(wTreatPost, residual, means[1]),
            scaled(wContPre, residual, means[2]), scaled(wContPost, residual, means[3]),
            scaled(wD, gapPost, means[4]), scaled(wDt1, gapPost, means[5]),
            scaled(wD, gapPre, means[4]), scaled(wDt0, gapPre, means[6]),
        ]
        let a = eta.map { mean($0) }
        let att = (a[1] - a[0]) - (a[3] - a[2]) + (a[4] - a[5]) - (a[6] - a[7])
        let weightOf: [[Double]] = [wTreatPre, wTreatPost, wContPre, wContPost, wD, wDt1, wD, wDt0]
        let meanOf = [means[0], means[1], means[2], means[3], means[4], means[5], means[4], means[6]]
        func leading(_ k: Int, _ i: Int) -> Double { eta[k][i] - weightOf[k][i] * a[k] / meanOf[k] }
        let m1Post = weightedMean { -wTreatPost[$0] * t[$0] / means[1] }, m1Pre = weightedMean { -wTreatPre[$0] * (1 - t[$0]) / means[0] }
        let m2Pre = weightedMean { wContPre[$0] * (outcome[$0] - yCont[$0] - a[2]) / means[2] }
        let m2Post = weightedMean { wContPost[$0] * (outcome[$0] - yCont[$0] - a[3]) / means[3] }
        let m3Post = weightedMean { -wContPost[$0] * t[$0] / means[3] }, m3Pre = weightedMean { -wContPre[$0] * (1 - t[$0]) / means[2] }
        let momPost = weightedMean { wD[$0] / means[4] - wDt1[$0] / means[5] }, momPre = weightedMean { wD[$0] / means[4] - wDt0[$0] / means[6] }
        guard let ps = propensity(zip(m2Post, m2Pre).map { $0 - $1 }) else { return .notIdentified("the propensity score's covariates are collinear") }
        let treatOrPost = olsTerm(contPost, m1Post), treatOrPre = olsTerm(contPre, m1Pre)
        let contOrPost = olsTerm(contPost, m3Post), contOrPre = olsTerm(contPre, m3Pre)
        let orPostTreat = olsTerm(treatPost, momPost), orPostCont = olsTerm(contPost, momPost)
        let orPreTreat = olsTerm(treatPre, momPre), orPreCont = olsTerm(contPre, momPre)
        let influence = (0..<n).map { i -> Double in
            let inTreat = leading(1, i) - leading(0, i) + treatOrPost[i] + treatOrPre[i]
            let inControl = leading(3, i) - leading(2, i) + ps[i] + contOrPost[i] + contOrPre[i]
            let efficiency = (leading(4, i) - leading(5, i)) - (leading(6, i) - leading(7, i))
            let outcomeRegression = (orPostTreat[i] - orPostCont[i]) - (orPreTreat[i] - orPreCont[i])
            return inTreat - inControl + efficiency + outcomeRegression
        }
        return .estimate(att: att, influence: influence)
    }
}
