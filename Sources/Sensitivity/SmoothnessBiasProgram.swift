// The worst-case bias of an affine estimator of θ = l'τ_post under Δ^SD(M), given a bound h on its
// standard deviation: the inner problem of the fixed-length confidence interval (Armstrong &
// Kolesár 2018, "Optimal inference in a class of regression models", Econometrica 86(2); applied
// to event studies by Rambachan & Roth 2023, section 4.1 and Appendix; peers: R HonestDiD's
// `.findWorstCaseBiasGivenH`, moderndid 0.2.0's `maximize_bias` in didhonest/fixed_length_ci.py).
//
// Goals, in order:
// 1. The same optimum as HonestDiD (which hands a second-order cone program to a conic solver):
//    the same parametrisation (first-difference weights w over the pre-periods, Σ w = Σ_s s·l_s),
//    the same constant, the same variance.
// 2. Bounded: a small dense log-barrier method with capped Newton and centring steps, then an exact
//    closed-form polish on the sign pattern it found. A failure is a typed error, never a hang.
//
// The program, as HonestDiD writes it, is min_{w,U} C + Σ U_i s.t. |cumsum(w)_i| ≤ U_i,
// Σ w = c, Var(l_pre'β̂_pre + l'β̂_post) ≤ h², with l_pre = D w (D the first-difference matrix).
// With z = cumsum(w) it is min Σ_{i<n} |z_i| (+ C + |c|) over z_1..z_{n-1}, z_n = c fixed, subject
// to the ellipsoid q(z) ≤ h², where l_pre = D²z. Its unconstrained minimiser z = (0, …, 0, c) is
// HonestDiD's minimum-bias estimator (`.findHForMinimumBias`); the ellipsoid's centre is the
// minimum-variance estimator (`.findLowestH`), both in closed form here.

import Foundation
import LinearAlgebra

/// The worst-case bias program of one event study and target (the M = 1 bias; it scales with M).
struct SmoothnessBiasProgram {
    let preCount: Int
    /// c = Σ_s s·l_s: the first-difference weights sum to it.
    let weightSum: Double
    /// HonestDiD's constant part of the bias: Σ_s |Σ_{j≤s} j·l_{T−s+j}| − c.
    let biasConstant: Double
    /// q(y) = y'A y + 2 y'g + k over the free coordinates y = z_1..z_{n−1}.
    let quadratic: Matrix
    let linear: [Double]
    let constant: Double
    /// The minimum-variance point y* = −A⁻¹g and its variance (HonestDiD's lowest h, squared).
    let centre: [Double]
    let minimumVariance: Double

    /// The minimum-bias estimator's standard deviation (y = 0): the largest h worth considering.
    var minimumBiasStandardDeviation: Double { constant.squareRoot() }
    var minimumStandardDeviation: Double { max(minimumVariance, 0).squareRoot() }

    init(problem: SensitivityProblem) throws(SensitivityError) {
        let n = problem.preCount, posts = problem.postCount
        let l = problem.targetWeights
        var c = 0.0
        for s in 0..<posts { c += Double(s + 1) * l[s] }
        var constantBias = -c
        for s in 1...posts {
            var inner = 0.0
            for j in 1...s { inner += Double(j) * l[posts - s + j - 1] }
            constantBias += abs(inner)
        }
        // G = D·D maps z to l_pre; Q = G'Σ_pre G and b = G'Σ_pre,post l give q(z) = z'Qz + 2b'z + l'Σ_post l.
        var g = Matrix(rows: n, columns: n)
        for i in 0..<n {
            g[i, i] = 1
            if i >= 1 { g[i, i - 1] = -2 }
            if i >= 2 { g[i, i - 2] = 1 }
        }
        let sigma = problem.covariance
        var sigmaPre = Matrix(rows: n, columns: n)
        for i in 0..<n { for j in 0..<n { sigmaPre[i, j] = sigma[i, j] } }
        var crossTimesL = [Double](repeating: 0, count: n)
        for i in 0..<n { for s in 0..<posts { crossTimesL[i] += sigma[i, n + s] * l[s] } }
        var postVariance = 0.0
        for s in 0..<posts { for r in 0..<posts { postVariance += l[s] * l[r] * sigma[n + s, n + r] } }
        var q = Matrix(rows: n, columns: n)
        var b = [Double](repeating: 0, count: n)
        for a in 0..<n {
            for i in 0..<n { b[a] += g[i, a] * crossTimesL[i] }
            for e in 0..<n {
                var sum = 0.0
                for i in 0..<n where g[i, a] != 0 { for j in 0..<n where g[j, e] != 0 { sum += g[i, a] * sigmaPre[i, j] * g[j, e] } }
                q[a, e] = sum
            }
        }
        let free = n - 1
        var a = Matrix(rows: free, columns: free)
        var linear = [Double](repeating: 0, count: free)
        for i in 0..<free {
            for j in 0..<free { a[i, j] = q[i, j] }
            linear[i] = q[i, n - 1] * c + b[i]
        }
        let k = q[n - 1, n - 1] * c * c + 2 * b[n - 1] * c + postVariance
        var centre = [Double](repeating: 0, count: free)
        var minimum = k
        if free > 0 {
            guard let inverse = try? a.symmetricPositiveDefiniteInverse() else {
                throw .optimizationFailed("the pre-period covariance is singular, so the smoothness FLCI is not defined")
            }
            for i in 0..<free { for j in 0..<free { centre[i] -= inverse[i, j] * linear[j] } }
            for i in 0..<free { minimum += linear[i] * centre[i] }
        }
        guard k.isFinite, k > 0 else { throw .optimizationFailed("the target's variance is not positive, so the smoothness FLCI is not defined") }
        self.preCount = n
        self.weightSum = c
        self.biasConstant = constantBias
        self.quadratic = a
        self.linear = linear
        self.constant = k
        self.centre = centre
        self.minimumVariance = minimum
    }

    func variance(_ y: [Double]) -> Double {
        var value = constant
        for i in y.indices {
            value += 2 * linear[i] * y[i]
            for j in y.indices { value += y[i] * quadratic[i, j] * y[j] }
        }
        return value
    }

    /// The bias with M = 1 at free coordinates y.
    func bias(_ y: [Double]) -> Double { biasConstant + abs(weightSum) + y.reduce(0) { $0 + abs($1) } }

    /// The pre-period weights l_pre = D²z of the estimator at y (z = (y, c)).
    func preWeights(_ y: [Double]) -> [Double] {
        let z = y + [weightSum]
        return z.indices.map { i in z[i] - (i >= 1 ? 2 * z[i - 1] : 0) + (i >= 2 ? z[i - 2] : 0) }
    }

    /// The worst-case bias (M = 1) over estimators with standard deviation at most h, and its
    /// minimiser. h must exceed the minimum standard deviation (the golden-section search of
    /// `SmoothnessSensitivity` only evaluates interior points).
    func minimumBias(standardDeviation h: Double) throws(SensitivityError) -> (bias: Double, y: [Double]) {
        let free = preCount - 1
        let limit = h * h
        guard free > 0, limit < constant else { return (bias([Double](repeating: 0, count: free)), [Double](repeating: 0, count: free)) }
        guard limit > minimumVariance else {
            throw .optimizationFailed("the standard deviation bound \(h) is below the smallest attainable \(minimumStandardDeviation)")
        }
        let y = try barrierSolution(limit: limit)
        let polished = polish(y, limit: limit)
        return (bias(polished), polished)
    }
}

extension SmoothnessBiasProgram {
    /// A log-barrier path-following method (Boyd & Vandenberghe 2004, §11.3) on
    /// min Σ u_i s.t. u_i ± y_i > 0, q(y) < h², from the ellipsoid's centre, with the slacks u
    /// minimised out in closed form: for fixed y, t·u − log(u − y) − log(u + y) is least at
    /// u = (1 + r)/t, r = √(1 + t²y²), leaving Σ (r_i − log(1 + r_i)) − log(h² − q(y)), a smooth
    /// convex function of y alone with no cancellation in u ± y. Capped: 80 centring steps of at
    /// most 100 damped Newton steps each.
    func barrierSolution(limit: Double) throws(SensitivityError) -> [Double] {
        let free = preCount - 1
        let constraints = Double(2 * free + 1)
        // The ellipsoid in centred form, q(y) = v* + (y − y*)'A(y − y*), so that its slack keeps
        // its digits when h is close to the smallest attainable standard deviation.
        let room = limit - minimumVariance
        var y = centre
        var t = 1 / max(abs(weightSum), 1e-8)
        // A duality gap of 10⁻¹⁰ of the bias's scale: far below what the interval shows.
        let targetGap = 1e-10 * max(abs(weightSum) + abs(biasConstant), 1e-12)
        func excess(_ y: [Double]) -> (value: Double, gradient: [Double]) {
            let e = zip(y, centre).map { $0 - $1 }
            var value = 0.0, gradient = [Double](repeating: 0, count: free)
            for i in 0..<free {
                for j in 0..<free { gradient[i] += 2 * quadratic[i, j] * e[j] }
                value += e[i] * gradient[i] / 2
            }
            return (value, gradient)
        }
        func objective(_ y: [Double], _ t: Double) -> Double? {
            let slack = room - excess(y).value
            guard slack > 0 else { return nil }
            var value = -Foundation.log(slack)
            for yi in y {
                let r = (1 + t * t * yi * yi).squareRoot()
                value += r - Foundation.log1p(r)
            }
            return value
        }
        for _ in 0..<80 {
            var converged = false
            for _ in 0..<100 {
                guard let current = objective(y, t) else { throw .optimizationFailed("the FLCI's bias program left its feasible set") }
                let (used, varianceGradient) = excess(y)
                let slack = room - used
                var gradient = [Double](repeating: 0, count: free)
                var hessian = Matrix(rows: free, columns: free)
                for i in 0..<free {
                    let r = (1 + t * t * y[i] * y[i]).squareRoot()
                    gradient[i] = t * t * y[i] / (1 + r) + varianceGradient[i] / slack
                    hessian[i, i] += t * t / (r * (1 + r))
                    for j in 0..<free {
                        hessian[i, j] += 2 * quadratic[i, j] / slack + varianceGradient[i] * varianceGradient[j] / (slack * slack)
                    }
                }
                guard let inverse = try? hessian.symmetricPositiveDefiniteInverse() else {
                    throw .optimizationFailed("the FLCI's bias program met a singular Newton system")
                }
                var step = [Double](repeating: 0, count: free)
                for i in 0..<free { for j in 0..<free { step[i] -= inverse[i, j] * gradient[j] } }
                let decrement = -zip(step, gradient).reduce(0) { $0 + $1.0 * $1.1 }
                // λ²/2 bounds the suboptimality in barrier units (the bias's times t); below the
                // objective's own rounding there is nothing left to gain.
                if decrement / 2 <= 1e-10 + 1e-12 * abs(current) { converged = true; break }
                var length = 1.0, accepted = false
                for _ in 0..<60 {
                    let trial = zip(y, step).map { $0 + length * $1 }
                    if let value = objective(trial, t), value < current, value <= current - 0.25 * length * decrement {
                        y = trial
                        accepted = true
                        break
                    }
                    length *= 0.5
                }
                // No descent left within rounding: the point is centred as well as doubles allow.
                if !accepted { converged = true; break }
            }
            guard converged else { throw .optimizationFailed("the FLCI's bias program did not converge within its Newton step limit") }
            if constraints / t < targetGap { return y }
            t *= 8
        }
        throw .optimizationFailed("the FLCI's bias program did not reach its tolerance within its step limit")
    }

    /// The exact optimum on the sign pattern the barrier found: with the coordinates it left near
    /// zero fixed at zero and the signs s of the others, min s'y_A over the ellipsoid is
    /// y_A = centre_A − ρ A_AA⁻¹s / √(s'A_AA⁻¹s). Kept only when feasible, of the same signs and no
    /// worse than the barrier point (so the polish can only sharpen an answer, never change it).
    func polish(_ y: [Double], limit: Double) -> [Double] {
        let scale = y.reduce(abs(weightSum)) { $0 + abs($1) }
        let active = y.indices.filter { abs(y[$0]) > 1e-6 * scale }
        guard !active.isEmpty else { return [Double](repeating: 0, count: y.count) }
        let sub = quadratic.selecting(rows: active, columns: active)
        guard let inverse = try? sub.symmetricPositiveDefiniteInverse() else { return y }
        let signs = active.map { y[$0] > 0 ? 1.0 : -1.0 }
        let g = active.map { linear[$0] }
        var centreA = [Double](repeating: 0, count: active.count), direction = centreA
        var centreVariance = constant
        for i in active.indices {
            for j in active.indices {
                centreA[i] -= inverse[i, j] * g[j]
                direction[i] += inverse[i, j] * signs[j]
            }
        }
        for i in active.indices { centreVariance += g[i] * centreA[i] }
        let radius2 = limit - centreVariance
        let norm2 = zip(signs, direction).reduce(0) { $0 + $1.0 * $1.1 }
        guard radius2 > 0, norm2 > 0 else { return y }
        let factor = (radius2 / norm2).squareRoot()
        var candidate = [Double](repeating: 0, count: y.count)
        for (i, index) in active.enumerated() { candidate[index] = centreA[i] - factor * direction[i] }
        let sameSigns = active.indices.allSatisfy { candidate[active[$0]] * signs[$0] > 0 }
        guard sameSigns, variance(candidate) <= limit * (1 + 1e-12), bias(candidate) <= bias(y) + 1e-12 * scale else { return y }
        return candidate
    }
}
