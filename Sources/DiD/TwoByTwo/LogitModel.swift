import Foundation

/// A logistic regression fitted by Newton–Raphson: the propensity score of the doubly robust and
/// inverse-probability-weighted DiD estimators (Sant'Anna & Zhao 2020), as R DRDID fits it with
/// `glm(family = binomial)`.
///
/// Goals, in order: the maximum-likelihood estimate itself (the peers' IRLS stops at a relative
/// deviance change of 1e-8; we iterate until the Newton step is at rounding level, which lands on
/// the same optimum more tightly); a clear signal when no finite optimum exists (separation).
struct LogitModel {
    /// The coefficients.
    let coefficients: [Double]
    /// The fitted probabilities.
    let fitted: [Double]

    /// Why the fit failed.
    enum Failure: Error {
        /// Fitted probabilities reach 0 or 1: the covariates separate the groups.
        case separation
        /// The information matrix is singular (collinear covariates).
        case singular
    }

    /// Fits `P(treated | x)` on the row-major design `design` (`rows × columns`, with an intercept column).
    init(design: [Double], columns: Int, treated: [Bool]) throws(Failure) {
        let rows = treated.count
        // With only an intercept the maximum-likelihood probability is the treated share.
        if columns == 1 {
            let share = Double(treated.lazy.filter { $0 }.count) / Double(max(rows, 1))
            guard share > 0, share < 1 else { throw .separation }
            coefficients = [Foundation.log(share / (1 - share)) / (design.first ?? 1)]
            fitted = [Double](repeating: share, count: rows)
            return
        }
        var beta = [Double](repeating: 0, count: columns)
        var fitted = [Double](repeating: 0.5, count: rows)
        for _ in 0..<100 {
            var gradient = [Double](repeating: 0, count: columns)
            var information = [Double](repeating: 0, count: columns * columns)
            for i in 0..<rows {
                let p = fitted[i]
                let residual = (treated[i] ? 1 : 0) - p
                let weight = p * (1 - p)
                let base = i * columns
                for a in 0..<columns {
                    let xa = design[base + a]
                    gradient[a] += xa * residual
                    let wa = weight * xa
                    for b in 0...a { information[a * columns + b] += wa * design[base + b] }
                }
            }
            for a in 0..<columns { for b in 0..<a { information[b * columns + a] = information[a * columns + b] } }
            guard let system = SmallSystem(information, order: columns) else { throw .singular }
            let step = system.solve(gradient)
            var largest = 0.0
            for a in 0..<columns {
                beta[a] += step[a]
                largest = max(largest, abs(step[a]) / max(1, abs(beta[a])))
            }
            // Diverging coefficients mean the likelihood has no finite maximum.
            guard beta.allSatisfy({ $0.isFinite && abs($0) < 50 }) else { throw .separation }
            for i in 0..<rows {
                var eta = 0.0
                for a in 0..<columns { eta += design[i * columns + a] * beta[a] }
                fitted[i] = 1 / (1 + Foundation.exp(-eta))
            }
            // Newton converges quadratically: after a step this small the next is at rounding level.
            if largest < 1e-10 { break }
        }
        coefficients = beta
        self.fitted = fitted
    }
}
