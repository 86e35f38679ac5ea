import ArgumentParser

/// How `feols` and `fepois` absorb fixed effects and drop collinear regressors: the options the
/// two commands share, with one validation.
struct FixedEffectOptions: ParsableArguments {
    @Option(name: .customLong("fixef-tol"), help: "Convergence tolerance of the fixed-effect absorption (on the change between sweeps; a tenth of it on the estimated error of the demeaned variables once conjugate gradient takes over).")
    var fixefTolerance: Double = 1e-8

    @Option(name: .customLong("fixef-iter"), help: "Most sweeps (plus conjugate-gradient steps) of the fixed-effect absorption.")
    var fixefIterations: Int = 10_000

    @Option(name: .customLong("collin-tol"), help: "fixest's collin.tol: a regressor whose squared Cholesky pivot on the demeaned (for fepois, IRLS-weighted) cross-product is below it is dropped as collinear (pyfixest's default 1e-9; fixest's 1e-10). 0 turns the rule off: only columns collinear to double precision (scaled QR residual below 1e-13) are dropped.")
    var collinearityTolerance: Double = 1e-9

    @Flag(name: .customLong("keep-singletons"), help: "Keep fixed-effect singletons (removed by default, as in fixest 0.13).")
    var keepSingletons = false

    func validate() throws {
        guard fixefTolerance > 0 else { throw ValidationError("--fixef-tol must be positive") }
        guard fixefIterations >= 1 else { throw ValidationError("--fixef-iter must be at least 1") }
        guard collinearityTolerance >= 0, collinearityTolerance.isFinite else {
            throw ValidationError("--collin-tol must be a non-negative number, got \(collinearityTolerance)")
        }
    }
}
