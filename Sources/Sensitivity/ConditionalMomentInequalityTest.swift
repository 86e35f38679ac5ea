// The conditional test of moment inequalities with linear nuisance parameters (Andrews, Roth &
// Pakes 2023, "Inference for Linear Conditional Moment Inequalities", Review of Economic Studies;
// §3 of Rambachan & Roth 2023) and its hybrid with a least-favourable first stage (ARP §3.3, the
// "C-LF" interval HonestDiD reports by default for relative magnitudes).
//
// Goals, in order: the decision HonestDiD takes at each tested θ (R `.lp_conditional_test`;
// moderndid 0.2.0 `didhonest.arp_nuisance.lp_conditional_test`, read to learn the steps, code our
// own); every linear program bounded (BoundedLinearProgram), a failed program a typed error.
//
// H0: ∃ν with E[Y(θ) − X ν] ≤ 0, where Y(θ) = y − a θ. The statistic is
// η̂ = min{η : Y − Xν ≤ σ η} = max{γ'Y : γ'σ = 1, γ'X = 0, γ ≥ 0} (ARP eq. 14–15); we solve the
// second (dual) form, whose optimal vertex γ is the vector of Lagrange multipliers the
// conditioning needs. Conditional on the optimal vertex, η̂ is a truncated normal: the truncation
// [v_lo, v_up] has a closed form when the binding rows are exactly k + 1 and of full rank (ARP
// Lemma 3 / Proposition 4), else it is found by bisection over a linear program (ARP Appendix, the
// "dual approach"), as HonestDiD does.

import LinearAlgebra
import Inference

/// The ARP conditional (or conditional–least-favourable hybrid) test of H0: θ is in the
/// identified set, for moments Y(θ) = y − a θ with nuisance directions X.
struct ConditionalMomentInequalityTest {
    /// y: the moments at θ = 0 (one per row used by the test).
    let moments: [Double]
    /// a: how each moment moves with θ.
    let thetaDirection: [Double]
    /// X: one row per moment, k nuisance columns (k may be 0).
    let nuisance: [[Double]]
    /// Σ_Y, the moments' covariance.
    let covariance: Matrix
    let alpha: Double
    /// The least-favourable critical value c_LF and the first stage's size κ for the hybrid; nil
    /// for the purely conditional test.
    let leastFavorable: (criticalValue: Double, kappa: Double)?

    private var rowCount: Int { moments.count }
    private var nuisanceCount: Int { nuisance.first?.count ?? 0 }
    private var standardDeviations: [Double] { (0..<rowCount).map { max(covariance[$0, $0], 0).squareRoot() } }

    /// The dual program max γ'Y s.t. W'γ = e₁, γ ≥ 0 with W = [σ, X] (its rows: σ'γ = 1, X'γ = 0),
    /// for the objective `objective` (Y, or a shifted Y in the bisection).
    static func dualProgram(objective: [Double], standardDeviations: [Double], nuisance: [[Double]]) -> BoundedLinearProgram {
        let k = nuisance.first?.count ?? 0
        var rows = [standardDeviations]
        for column in 0..<k { rows.append(nuisance.map { $0[column] }) }
        var rhs = [Double](repeating: 0, count: k + 1)
        rhs[0] = 1
        return BoundedLinearProgram(objective: objective.map { -$0 }, constraintRows: rows, rightHandSide: rhs)
    }

    /// Whether the hybrid's first stage (η̂ > c_LF) rejects every θ: true when min_θ η̂(θ), the same
    /// program with θ as one more nuisance direction, exceeds c_LF. Only a shortcut: the tests over
    /// the grid would reject each θ one by one.
    func firstStageRejectsEveryTheta() -> Bool {
        guard let (criticalValue, _) = leastFavorable else { return false }
        let widened = zip(nuisance, thetaDirection).map { $0 + [$1] }
        let program = Self.dualProgram(objective: moments, standardDeviations: standardDeviations, nuisance: widened)
        guard case let .optimal(_, value) = program.solve() else { return false }
        let smallestEta = -value
        return smallestEta > criticalValue + 1e-8 * max(1, abs(criticalValue))
    }

    /// Whether the test accepts θ (does not reject at level α).
    func accepts(theta: Double) throws -> Bool {
        let y = zip(moments, thetaDirection).map { $0 - $1 * theta }
        let sd = standardDeviations
        let gamma: [Double]
        switch Self.dualProgram(objective: y, standardDeviations: sd, nuisance: nuisance).solve() {
        case let .optimal(solution, _): gamma = solution
        // An infeasible dual is an unbounded primal (η̂ = −∞): HonestDiD does not reject then.
        case .infeasible, .unbounded: return true
        case .iterationLimit:
            throw SensitivityError.optimizationFailed("the conditional test's linear program at θ = \(theta) stopped at its pivot limit")
        }
        let eta = innerProduct(gamma, y)
        var size = alpha
        if let (criticalValue, kappa) = leastFavorable {
            if eta > criticalValue { return false }
            size = (alpha - kappa) / (1 - kappa)
        }
        let k = nuisanceCount
        let binding = (0..<rowCount).filter { gamma[$0] > 1e-6 }
        let bindingNuisance = binding.map { nuisance[$0] }
        let fullRank = k == 0 || (binding.count >= 1 && Self.rank(bindingNuisance, columns: k) == min(binding.count, k))
        let truncation: (lower: Double, upper: Double, scale: Double)
        if binding.count == k + 1 && fullRank {
            guard let closed = closedFormTruncation(y: y, sd: sd, binding: binding) else { return true }
            truncation = closed
        } else {
            let variance = quadraticForm(gamma)
            if abs(variance) < Double.ulpOfOne { return !(eta > 0) }
            let bounds = try dualTruncation(eta: eta, y: y, gamma: gamma, sd: sd)
            truncation = (bounds.lower, bounds.upper, variance.squareRoot())
        }
        let statistic = eta / truncation.scale
        let lower = truncation.lower / truncation.scale
        let upper = min(truncation.upper, leastFavorable?.criticalValue ?? .infinity) / truncation.scale
        guard lower <= statistic, statistic <= upper else { return true }
        let critical = max(0, Self.truncatedNormalQuantile(1 - size, lower: lower, upper: upper))
        return !(statistic > critical)
    }

    /// ARP's closed form when the k + 1 binding rows B are of full rank: η̂ = v_B'Y with
    /// W_B' v_B = e₁, and each slack row j bounds η̂ through ρ_j = (Γ_B Σ v)_j / v'Σv.
    private func closedFormTruncation(y: [Double], sd: [Double], binding: [Int]) -> (lower: Double, upper: Double, scale: Double)? {
        let bindingSet = Set(binding)
        let w = binding.map { [sd[$0]] + nuisance[$0] }
        var e1 = [Double](repeating: 0, count: w.count)
        e1[0] = 1
        guard let vShort = Self.solveSquare(transpose(w), e1) else { return nil }
        var v = [Double](repeating: 0, count: rowCount)
        for (position, row) in binding.enumerated() { v[row] = vShort[position] }
        let sigmaV = covarianceTimes(v)
        let variance = innerProduct(v, sigmaV)
        guard variance > 0 else { return nil }
        let vy = innerProduct(v, y)
        // Γ_B z for the slack rows: W_Bᶜ W_B⁻¹ z_B − z_Bᶜ.
        guard let wInverseY = Self.solveSquare(w, binding.map { y[$0] }),
              let wInverseSigmaV = Self.solveSquare(w, binding.map { sigmaV[$0] }) else { return nil }
        var lower = -Double.infinity, upper = Double.infinity
        for row in 0..<rowCount where !bindingSet.contains(row) {
            let wRow = [sd[row]] + nuisance[row]
            let gammaY = innerProduct(wRow, wInverseY) - y[row]
            let rho = (innerProduct(wRow, wInverseSigmaV) - sigmaV[row]) / variance
            guard rho != 0 else { continue }
            let bound = -gammaY / rho + vy
            if rho > 0 { lower = max(lower, bound) } else { upper = min(upper, bound) }
        }
        return (lower, upper, variance.squareRoot())
    }

    /// The truncation by bisection (HonestDiD's dual approach, `.vlo_vup_dual_fn`): c is in the
    /// support when max{(s + Σγ c / γ'Σγ)'x : W'x = e₁, x ≥ 0} equals c, with s the part of Y
    /// independent of γ'Y. Tolerances and starting points as HonestDiD's (1e-6; ±100 or η ± 20σ).
    private func dualTruncation(eta: Double, y: [Double], gamma: [Double], sd: [Double]) throws -> (lower: Double, upper: Double) {
        let sigmaGamma = covarianceTimes(gamma)
        let variance = innerProduct(gamma, sigmaGamma)
        let b = sigmaGamma.map { $0 / variance }
        let gammaY = innerProduct(gamma, y)
        let s = zip(y, b).map { $0 - $1 * gammaY }
        let tolerance = 1e-6, maxIterations = 10_000, switchIterations = 10
        func check(_ c: Double) throws -> (solution: [Double]?, isSolution: Bool) {
            let objective = zip(s, b).map { $0 + $1 * c }
            switch Self.dualProgram(objective: objective, standardDeviations: sd, nuisance: nuisance).solve() {
            case let .optimal(solution, value): return (solution, abs(c - (-value)) <= tolerance)
            case .infeasible, .unbounded: return (nil, false)
            case .iterationLimit:
                throw SensitivityError.optimizationFailed("the conditional test's truncation program stopped at its pivot limit")
            }
        }
        func shortcut(_ x: [Double]) -> Double { Self.roundEpsilon(innerProduct(x, s)) / (1 - innerProduct(x, b)) }
        guard try check(eta).isSolution else { return (eta, .infinity) }
        let scale = variance.squareRoot()
        let lowInitial = min(-100, eta - 20 * scale), highInitial = max(100, eta + 20 * scale)
        // Each bound: a few steps of the shortcut (the next vertex's crossing point), then bisection.
        func bound(from start: Double, towardUpper: Bool) throws -> Double {
            var result = try check(start)
            if result.isSolution { return towardUpper ? .infinity : -.infinity }
            var iterations = 1
            var mid = result.solution.map(shortcut) ?? start
            while iterations < switchIterations {
                result = try check(mid)
                if result.isSolution { break }
                iterations += 1
                guard let x = result.solution else { break }
                mid = shortcut(x)
            }
            var inside = eta, outside = mid
            while abs(outside - inside) > tolerance && iterations < maxIterations {
                iterations += 1
                mid = (inside + outside) / 2
                if try check(mid).isSolution { inside = mid } else { outside = mid }
            }
            return mid
        }
        let upper = try bound(from: highInitial, towardUpper: true)
        let lower = try bound(from: lowInitial, towardUpper: false)
        return (lower, upper)
    }

    // MARK: small dense algebra (the systems here are (k + 1) × (k + 1) with k < the post-periods)

    private func covarianceTimes(_ v: [Double]) -> [Double] {
        (0..<rowCount).map { r in (0..<rowCount).reduce(0) { $0 + covariance[r, $1] * v[$1] } }
    }
    private func quadraticForm(_ v: [Double]) -> Double { innerProduct(v, covarianceTimes(v)) }

    /// Solves M z = r by Gaussian elimination with partial pivoting; nil when M is singular.
    static func solveSquare(_ matrix: [[Double]], _ rhs: [Double]) -> [Double]? {
        let n = rhs.count
        var a = matrix, b = rhs
        let scale = max(matrix.flatMap { $0 }.map(abs).max() ?? 0, 1e-300)
        for column in 0..<n {
            guard let pivot = (column..<n).max(by: { abs(a[$0][column]) < abs(a[$1][column]) }),
                  abs(a[pivot][column]) > 1e-12 * scale else { return nil }
            a.swapAt(column, pivot)
            b.swapAt(column, pivot)
            for row in (column + 1)..<max(n, column + 1) {
                let factor = a[row][column] / a[column][column]
                guard factor != 0 else { continue }
                for c in column..<n { a[row][c] -= factor * a[column][c] }
                b[row] -= factor * b[column]
            }
        }
        var z = [Double](repeating: 0, count: n)
        for row in stride(from: n - 1, through: 0, by: -1) {
            let tail = ((row + 1)..<n).reduce(0) { $0 + a[row][$1] * z[$1] }
            z[row] = (b[row] - tail) / a[row][row]
        }
        return z
    }

    /// The numerical rank of a small matrix (numpy's `matrix_rank` rule: singular values above
    /// σ_max · max(rows, columns) · ε), from the eigenvalues of its Gram matrix.
    static func rank(_ rows: [[Double]], columns: Int) -> Int {
        guard !rows.isEmpty, columns > 0 else { return 0 }
        var gram = Matrix(rows: columns, columns: columns)
        for i in 0..<columns {
            for j in 0..<columns { gram[i, j] = rows.reduce(0) { $0 + $1[i] * $1[j] } }
        }
        guard let eigen = try? gram.symmetricEigen() else { return 0 }
        let singular = eigen.values.map { max($0, 0).squareRoot() }
        let largest = singular.max() ?? 0
        let threshold = largest * Double(max(rows.count, columns)) * Double.ulpOfOne
        return singular.filter { $0 > threshold }.count
    }

    /// The p-quantile of a standard normal truncated to [lower, upper] (HonestDiD's
    /// `.norminvp_generalized`).
    static func truncatedNormalQuantile(_ p: Double, lower: Double, upper: Double) -> Double {
        let pLower = lower == -.infinity ? 0 : StandardNormal.cdf(lower)
        let pUpper = upper == .infinity ? 1 : StandardNormal.cdf(upper)
        if lower == -.infinity && upper == .infinity { return StandardNormal.quantile(p) }
        let target = pLower + p * (pUpper - pLower)
        if target <= pLower { return lower }
        if target >= pUpper { return upper }
        return StandardNormal.quantile(target)
    }

    /// Zero for |x| < ε^(3/4), as HonestDiD rounds the shortcut's numerator.
    static func roundEpsilon(_ x: Double) -> Double { abs(x) < 1.818989403545856e-12 ? 0 : x }
}

/// Σ a_i b_i over two vectors of the same length (the small products of the relative-magnitudes code).
func innerProduct(_ a: [Double], _ b: [Double]) -> Double {
    var total = 0.0
    for index in a.indices { total += a[index] * b[index] }
    return total
}

private func transpose(_ rows: [[Double]]) -> [[Double]] {
    guard let width = rows.first?.count else { return [] }
    return (0..<width).map { c in rows.map { $0[c] } }
}
