import Inference
import LinearAlgebra

/// What every fitted regression holds, whatever its likelihood: the estimates, what the shared
/// covariance step needs (bread, weighted design, weighted residuals), the sample's accounting,
/// the fixed effects and clusters carried over the final sample, and what the design needs a
/// reader to know. `LinearModelFit` and `PoissonModelFit` store one each and add only what their
/// model changes, as pyfixest's `Fepois` extends `Feols` (pyfixest `estimation/models/fepois_.py`).
public struct FittedModelCore: Sendable {
    /// The formula text.
    public let formula: String
    /// The outcome's name.
    public let responseName: String
    /// Names of the estimated coefficients.
    public let coefficientNames: [String]
    /// Names of the regressors without an estimate, in design order: those absorbed by the fixed
    /// effects and those collinear with earlier regressors (together, fixest's `collin.var`).
    public let collinearNames: [String]
    /// The regressors among `collinearNames` that the fixed effects absorb (they do not vary within
    /// them), so that messages can say why a term has no estimate.
    public let absorbedNames: [String]
    /// The estimates (for Poisson on the log scale: 100·b is roughly a percentage effect).
    public let coefficients: [Double]
    /// (X̃ᵀWX̃)⁻¹ over the estimated coefficients: W the user weights for least squares, the
    /// working weights μ (times the user weights) at convergence for Poisson.
    public let bread: Matrix
    /// √W · X̃ over the estimated coefficients.
    public let weightedDesign: Matrix
    /// √W · û; for Poisson √W · (z̃ − X̃β), whose products with √W·X̃ are the scores x̃ᵢ(yᵢ − μᵢ).
    public let weightedResiduals: [Double]
    /// The rows read, used and dropped by reason.
    public let sample: SampleAccounting
    /// The fixed effects absorbed, over the final sample.
    public let fixedEffects: [Factor]
    /// Cluster variables carried from the data, over the final sample.
    public let clusterVariables: [ClusterVariable]
    /// Whether the model has an intercept (explicit, or absorbed in fixed effects).
    public let hasIntercept: Bool
    /// Whether observation weights were used.
    public let isWeighted: Bool
    /// Coefficients absorbed by the fixed effects, counted once each: Σ levels − redundant.
    public let fixedEffectParameters: Int
    /// The fixed-effect levels the data cannot identify (`FixedEffectRedundancy`): the connected
    /// components of the first two fixed effects' graph, plus one per further fixed effect.
    public let redundantFixedEffects: Int
    /// What the design needs a reader to know, one sentence each (`ModelFrame.designNotes`): the
    /// reference levels chosen for `i()` terms written without `ref`, and repeated columns.
    public let designNotes: [String]
    /// The table row each observation came from (`ModelFrame.sourceRows`), after every drop.
    public let sourceRows: [Int]

    /// K: the estimated slopes plus the fixed-effect coefficients.
    public var parameterCount: Int { coefficients.count + fixedEffectParameters }

    /// What the shared covariance step needs of this fit; least squares adds its scaled factor
    /// for accurate sandwiches.
    func covarianceFit(scaledFactor: ScaledTriangularFactor? = nil) -> FittedCovariance.Fit {
        FittedCovariance.Fit(
            input: CovarianceInput(bread: bread, weightedDesign: weightedDesign, weightedResiduals: weightedResiduals,
                                   observationCount: sample.rowsUsed, parameterCount: parameterCount, scaledFactor: scaledFactor),
            clusterVariables: clusterVariables, fixedEffects: fixedEffects, coefficientCount: coefficients.count)
    }

    /// K for clustered estimators: fixed effects nested in a cluster variable add only their shared
    /// intercept (fixest's `fixef.K = "nested"`; `FittedCovariance.parameterCount`).
    func parameterCount(nestedIn clusters: [ClusterVariable]) -> Int {
        FittedCovariance.parameterCount(of: covarianceFit(), nestedIn: clusters)
    }
}

/// A fitted regression (`LinearModelFit`, `PoissonModelFit`): its shared part is `core`, and
/// the accessors below read it, so that every consumer reads a field of either fit the same way.
public protocol FittedRegression: Sendable {
    /// The part every fitted regression shares.
    var core: FittedModelCore { get }
}

extension FittedRegression {
    public var formula: String { core.formula }
    public var responseName: String { core.responseName }
    public var coefficientNames: [String] { core.coefficientNames }
    public var collinearNames: [String] { core.collinearNames }
    public var absorbedNames: [String] { core.absorbedNames }
    public var coefficients: [Double] { core.coefficients }
    public var bread: Matrix { core.bread }
    public var weightedDesign: Matrix { core.weightedDesign }
    public var weightedResiduals: [Double] { core.weightedResiduals }
    public var sample: SampleAccounting { core.sample }
    public var fixedEffects: [Factor] { core.fixedEffects }
    public var clusterVariables: [ClusterVariable] { core.clusterVariables }
    public var hasIntercept: Bool { core.hasIntercept }
    public var isWeighted: Bool { core.isWeighted }
    public var fixedEffectParameters: Int { core.fixedEffectParameters }
    public var redundantFixedEffects: Int { core.redundantFixedEffects }
    public var designNotes: [String] { core.designNotes }
    public var parameterCount: Int { core.parameterCount }
    /// Observations used.
    public var observationCount: Int { core.sample.rowsUsed }
    /// Rows read from the data, and the rows dropped by the reasons every model shares (the
    /// sample's accounting under the names the tables read).
    public var rowsRead: Int { core.sample.rowsRead }
    public var droppedMissing: Int { core.sample.missing }
    public var droppedSingletons: Int { core.sample.singletons }
    public var droppedZeroWeight: Int { core.sample.zeroWeight }
    public var droppedNonFinite: Int { core.sample.nonFinite }
    public var droppedUndefinedTransforms: [(reason: String, rows: Int)] { core.sample.undefinedTransforms }
}

extension FittedRegression {
    /// K for clustered estimators (`FittedModelCore.parameterCount(nestedIn:)`).
    func parameterCount(nestedIn clusters: [ClusterVariable]) -> Int { core.parameterCount(nestedIn: clusters) }
}
