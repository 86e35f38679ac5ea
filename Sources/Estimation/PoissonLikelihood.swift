#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The Poisson log-likelihood and deviance of fitted means, and of the constant-only model (the
/// null model of fixest's and pyfixest's McFadden pseudo R²: the weighted mean for every row).
struct PoissonLikelihood {
    let deviance: Double
    let nullDeviance: Double
    let logLikelihood: Double
    let nullLogLikelihood: Double

    init(response: [Double], fitted: [Double], weights: [Double]?) {
        var total = 0.0
        var weightSum = 0.0
        for index in response.indices {
            let weight = weights?[index] ?? 1
            total += weight * response[index]
            weightSum += weight
        }
        let mean = total / weightSum
        var deviance = 0.0, nullDeviance = 0.0, logLikelihood = 0.0, nullLogLikelihood = 0.0
        for index in response.indices {
            let weight = weights?[index] ?? 1
            let y = response[index]
            let mu = fitted[index]
            let logFactorial: Double = lgamma(y + 1)
            deviance += weight * Self.unitDeviance(y, mu)
            nullDeviance += weight * Self.unitDeviance(y, mean)
            logLikelihood += weight * ((y > 0 ? y * log(mu) : 0) - mu - logFactorial)
            nullLogLikelihood += weight * ((y > 0 ? y * log(mean) : 0) - mean - logFactorial)
        }
        self.deviance = deviance
        self.nullDeviance = nullDeviance
        self.logLikelihood = logLikelihood
        self.nullLogLikelihood = nullLogLikelihood
    }

    /// 2(y log(y/μ) − (y − μ)), with 0 log 0 = 0.
    @inline(__always)
    static func unitDeviance(_ y: Double, _ mu: Double) -> Double {
        2 * ((y > 0 ? y * log(y / mu) : 0) - (y - mu))
    }

    /// Σ w · unit deviance: the IRLS's convergence criterion.
    static func deviance(response: [Double], fitted: [Double], weights: [Double]?) -> Double {
        var total = 0.0
        response.withUnsafeBufferPointer { y in
            fitted.withUnsafeBufferPointer { mu in
                if let weights {
                    weights.withUnsafeBufferPointer { w in
                        for i in 0..<y.count { total += w[i] * unitDeviance(y[i], mu[i]) }
                    }
                } else {
                    for i in 0..<y.count { total += unitDeviance(y[i], mu[i]) }
                }
            }
        }
        return total
    }
}
