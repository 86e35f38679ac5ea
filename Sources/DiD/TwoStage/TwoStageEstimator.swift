// Gardner's two-stage DiD (Gardner 2022; R and pyfixest `did2s`) in `quipu did --estimator
// twostage`: the imputation estimator's rows, `--fe` factors and clusters (ImputationEstimator),
// whose point estimates it shares, with did2s's GMM standard errors (TwoStageDiD.swift).
// Goals: one reading of the design for both estimators, so that their samples and estimates agree
// by construction; a clear refusal of what did2s's linear second stage does not define.

import PanelData

/// Gardner's two-stage difference-in-differences.
struct TwoStageEstimator: DiDEstimator {
    var id: StaggeredEstimator { .twoStage }

    func estimate(_ design: DiDDesign) throws -> DiDEffectSet {
        guard design.options.effect == .level else {
            throw PanelError("--estimator twostage estimates level effects (a linear first stage, as did2s); for proportional effects use --estimator imputation --effect proportional")
        }
        return try ImputationEstimator.estimate(design, with: TwoStageDiD.estimate)
    }
}
