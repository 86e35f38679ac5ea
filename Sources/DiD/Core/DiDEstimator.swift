// The one shape of a difference-in-differences estimator in `quipu did`: from the validated design
// to an effect set. `DiDAnalysis.run` builds the design once, loops over the chosen estimators,
// and then runs the steps that compare or combine their effect sets (headline, `--combine`,
// few-cluster and lead warnings), so that no estimator needs a branch of its own there.
//
// Peer: pyfixest's `pyfixest/did/did.py` (one `DID` base class with `estimate`, `vcov`, `iplot`,
// `tidy`; `TWFE`, `DID2s`, `LPDID`, `SaturatedEventStudy` each in a file beside it).

import Inference
import Primitives

/// A difference-in-differences estimator: the validated design in, one effect set out.
///
/// What a new estimator implements (one folder under `Sources/DiD/`, one conformance):
/// 1. `id`: its `StaggeredEstimator` case, which names it in the JSON (`estimator`), in text
///    headers and in `--combine` results; add the case, and the `--estimator` value that selects
///    it (`EstimatorChoice`, `DiDAnalysis.chosenEstimators`), and return the type from
///    `DiDAnalysis.conformance(for:)`; the compiler then names the two switches of the report
///    module that need a line (`EvaluationRunner`'s estimator choice, the event-study chart's
///    reference period in `EvaluationResults+Charts`). Beyond these the extended TWFE
///    (ExtendedTwoWayFixedEffects/) needed the rows a fit used (`FittedModelCore.sourceRows`), and
///    for its Poisson fit periods as regressors (`DiDDesign.fit(periodEffects:)`).
/// 2. `estimate(_:)`: read what it needs from the `DiDDesign` (the panel structure and cohorts in
///    `timing`, the outcome evaluated once with its unusable rows in `outcomeColumn`, the user's
///    columns in `sourceTable`, the options in `options`; `fit(formulaTerms:)` runs a regression
///    through the same code as `quipu feols`/`fepois`), and return a `DiDEffectSet`:
///    - `result`: its estimates (cells such as ATT(g,t), and aggregates such as `simple` and
///      `dynamic`) with their joint covariance (J × J, NaN where undefined), the reference
///      distribution (t with df, or normal), the inference text, observations and clusters, its
///      pre-trend test and notes. Built with `StaggeredResult`'s initialiser.
///    - `sample`: the rows read, the rows and units used, and the drops by reason.
///    - `notes` for the analysis as a whole, and `pretrendWarnings` when it judges its own leads.
///   Errors are `PanelError` or `EstimationError` naming the file, column or term at fault.
/// The report (text, JSON, CSV, Markdown, LaTeX, `quipu table`) then shows the new estimator
/// without further code: it reads every effect set the same way.
protocol DiDEstimator: Sendable {
    /// Which estimator this is.
    var id: StaggeredEstimator { get }
    /// Estimates the effects on `design`'s panel.
    func estimate(_ design: DiDDesign) throws -> DiDEffectSet
}

/// What one estimator found: its effects with their joint covariance, the sample they rest on,
/// and what the analysis should say about them.
struct DiDEffectSet: Sendable {
    /// Cells and aggregates, their joint covariance, reference distribution and inference.
    var result: StaggeredResult
    /// The rows and units used, and why the others were left out.
    var sample: StaggeredSample
    /// Notes for the whole analysis (e.g. a regression's covariance notes); deduplicated there.
    var notes: [Diagnostic] = []
    /// Warnings about the leads behind the estimator's own pre-trend test; nil when the estimator
    /// leaves them to the shared check of its `dynamic` leads (`DiDAnalysis.leadWarnings`).
    var pretrendWarnings: [Diagnostic]? = nil
    /// The per-regression view of a regression estimator (TWFE): one row per regression term,
    /// each with its own regression's t distribution, as fixest prints each regression.
    var regressionView: DiDRegressionView? = nil
    /// What the switching-treatment estimator (dcdh) reports beside its effects.
    var switchingTreatment: SwitchingTreatmentRecord? = nil
}

/// TWFE's regressions as rows of their own (the 2x2, the TWFE coefficient, the event study), with
/// what only they report: the difference of the four means, the terms of the event study's F
/// pre-trend test (the test itself is the effect set's `pretrend`), the regression covariance and
/// the Goodman-Bacon decomposition. The TWFE and event-study rows are read from TWFE's effect set
/// (no second estimation, no second inference); the JSON writes TWFE once, as its effect set with
/// these as fields of its entry.
struct DiDRegressionView: Sendable {
    var estimates: [DiDEstimate]
    /// The 2x2 estimate as a difference of the four means (least squares only).
    var differenceOfMeans: Double?
    /// The terms of the event study's pre-trend test (the effect set's `pretrend`).
    var pretrendTerms: [String]
    /// The covariance estimator of the regressions, as the header states it.
    var covariance: String
    /// The Goodman-Bacon decomposition of the TWFE estimate, when asked for.
    var bacon: BaconDecomposition?
}
